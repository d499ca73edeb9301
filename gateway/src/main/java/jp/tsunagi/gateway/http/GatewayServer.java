package jp.tsunagi.gateway.http;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The HTTP server of the gateway: Camel Main with the platform-http (Vert.x) server and {@link HttpRoutes}; plain
 * HTTP, or HTTPS (optionally mutual TLS) with {@link ServerTls}.
 */
public final class GatewayServer implements AutoCloseable {
    private final Main main;
    private final int port;

    private GatewayServer(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /** Plain HTTP; see {@link #start(Intake, String, int, long, ServerTls)}. */
    public static GatewayServer start(Intake intake, String host, int port, long maxBodyBytes) throws Exception {
        return start(intake, host, port, maxBodyBytes, null);
    }

    /**
     * Starts listening; returns once the routes are up.
     *
     * @param maxBodyBytes the hard limit at which the server itself cuts a request off; the intake checks the
     *                     configured message limit, below it, and answers 413 with a problem
     * @param tls          null for plain HTTP; otherwise HTTPS, and with client authentication each client
     *                     certificate is bound to the agency whose registered key it carries
     */
    public static GatewayServer start(Intake intake, String host, int port, long maxBodyBytes, ServerTls tls) throws Exception {
        Main main = new Main();
        main.configure().addRoutesBuilder(new HttpRoutes(intake, tls == null ? null : tls.clients()));
        main.addInitialProperty("camel.main.name", "tsunagi");
        main.addInitialProperty("camel.main.routes-include-pattern", "false");
        if (tls == null) {
            main.addInitialProperty("camel.server.enabled", "true");
            main.addInitialProperty("camel.server.host", host);
            main.addInitialProperty("camel.server.port", String.valueOf(port));
            main.addInitialProperty("camel.server.maxBodySize", String.valueOf(maxBodyBytes));
        } else {
            // Camel Main's embedded server cannot ask for client certificates (see TlsPlatformHttpServer): the same
            // Vert.x platform-http server, opened with the TLS options, takes its place.
            VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
            configuration.setBindHost(host);
            configuration.setBindPort(port);
            configuration.setMaxBodySize(maxBodyBytes);
            TlsPlatformHttpServer server = new TlsPlatformHttpServer(configuration, tls);
            main.addInitialProperty("camel.server.enabled", "false");
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    try {
                        // platform-http finds its router by the port of a started server or, before, of this configuration
                        configured.getCamelContext().getRegistry().bind("tsunagi-https-server-configuration", configuration);
                        configured.getCamelContext().addService(server);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot add the HTTPS server", e);
                    }
                }
            });
        }
        main.start();
        return new GatewayServer(main, port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        main.stop();
    }
}
