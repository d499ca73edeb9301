package jp.tsunagi.gateway.http;

import java.nio.file.Path;
import jp.tsunagi.gateway.settings.SettingsFile;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import jp.tsunagi.gateway.config.KeyFileCheck;
import jp.tsunagi.gateway.connect.ConnectorReload;
import jp.tsunagi.gateway.connect.TsunagiComponent;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The HTTP server of the gateway: Camel Main with the platform-http (Vert.x) server and {@link HttpRoutes}; plain
 * HTTP, or HTTPS (optionally mutual TLS) with {@link ServerTls}.
 */
public final class GatewayServer implements AutoCloseable {
    /** How often conf/routes/ and conf/mappings/ are looked at for changes. */
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);

    private final Main main;
    private final int port;
    private final ConnectorReload reload;

    private GatewayServer(Main main, int port, ConnectorReload reload) {
        this.main = main;
        this.port = port;
        this.reload = reload;
    }

    /** Plain HTTP, no connector routes; see {@link #start(Intake, String, int, long, ServerTls, Routes)}. */
    public static GatewayServer start(Intake intake, String host, int port, long maxBodyBytes) throws Exception {
        return start(intake, host, port, maxBodyBytes, null, null);
    }

    /**
     * The connector routes to load: the YAML routes of {@code conf/routes/} (reloaded atomically when a file of
     * routes/ or mappings/ changes, see {@link ConnectorReload}), the Kamelets of {@code conf/kamelets/}, and the
     * {@code tsunagi:} component they reach the gateway with.
     */
    public record Routes(Path confDirectory, TsunagiComponent tsunagi) {
    }

    /** The template with which delivery hands copies to connector routes. */
    /** The state of the connector routes' reload (null when the gateway runs no connector routes). */
    public ConnectorReload.Status reloadStatus() {
        return reload == null ? null : reload.status();
    }

    /** Each connector route's state (empty when the gateway runs no connector routes), for the console. */
    public java.util.List<jp.tsunagi.gateway.connect.ConnectorRouteHealth.State> connectorStates() {
        return reload == null ? java.util.List.of() : reload.health().states();
    }

    public ProducerTemplate producerTemplate() {
        return main.getCamelContext().createProducerTemplate();
    }

    /**
     * Starts listening; returns once the routes are up.
     *
     * @param maxBodyBytes the hard limit at which the server itself cuts a request off; the intake checks the
     *                     configured message limit, below it, and answers 413 with a problem
     * @param tls          null for plain HTTP; otherwise HTTPS, and with client authentication each client
     *                     certificate is bound to the agency whose registered key it carries
     */
    public static GatewayServer start(Intake intake, String host, int port, long maxBodyBytes, ServerTls tls,
                                      Routes routes) throws Exception {
        return start(intake, host, port, maxBodyBytes, tls, routes,
                routes == null ? ConnectionGuard.DEFAULT : ConnectionGuard.from(SettingsFile.load(routes.confDirectory())));
    }

    /** The same, with what a connection may cost (the settings tsunagi.http.* of the conf directory, or a test's). */
    public static GatewayServer start(Intake intake, String host, int port, long maxBodyBytes, ServerTls tls,
                                      Routes routes, ConnectionGuard guard) throws Exception {
        Main main = new Main();
        if (routes != null) {
            // the routes' property placeholders ({{tsunagi.exchange.dir}}, the routes' own keys) and camel.* options;
            // the gateway's own camel.* below take precedence
            SettingsFile.load(routes.confDirectory()).placeholders().forEach(main::addInitialProperty);
        }
        AtomicReference<ConnectorReload> reload = new AtomicReference<>();
        Supplier<List<String>> keyProblems = routes == null ? null
                : () -> KeyFileCheck.check(routes.tsunagi().intake().agencies(), routes.tsunagi().intake().keyDirectory());
        main.configure().addRoutesBuilder(new HttpRoutes(new ConfigurationInHealth(intake, reload::get, keyProblems), tls == null ? null : tls.clients()));
        main.configure().addRoutesBuilder(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                // delivery decides retries and dead letters and logs each attempt: Camel says why in one line,
                // without a stack trace or message history on every retry of an agency system that is down
                routeConfiguration().errorHandler(defaultErrorHandler().logStackTrace(false).logExhaustedMessageHistory(false));
            }
        });
        main.addInitialProperty("camel.main.name", "tsunagi");
        // Camel's own health checks (camel-health): each connector route's consumer reports its last failed poll
        main.addInitialProperty("camel.health.enabled", "true");
        main.addInitialProperty("camel.health.routesEnabled", "true");
        main.addInitialProperty("camel.health.consumersEnabled", "true");
        main.addInitialProperty("camel.main.routes-include-pattern", "false");
        if (routes != null) {
            // the connector routes are not Camel Main's: its reload replaced every route, the API's too, and left
            // none running when the new set failed to start; ConnectorReload loads them after the API's routes
            main.bind("tsunagi", routes.tsunagi());
            jp.tsunagi.gateway.connect.FolderNameGuard.Report audit = routes.tsunagi().intake()::fileSetAside;
            main.bind("tsunagiFolderNames", new jp.tsunagi.gateway.connect.FolderNameGuard(audit));
            main.bind("tsunagiSftpNames", new jp.tsunagi.gateway.connect.SftpNameGuard(audit));
            main.addInitialProperty("camel.component.kamelet.location",
                    "file:" + routes.confDirectory().resolve("kamelets").toAbsolutePath() + ",classpath:kamelets");
        }
        // Camel Main's embedded server can neither ask for client certificates nor guard its connections (see
        // TlsPlatformHttpServer): the same Vert.x platform-http server, opened with the TLS options when there are
        // any and with the ConnectionGuard, takes its place.
        VertxPlatformHttpServerConfiguration configuration = new VertxPlatformHttpServerConfiguration();
        configuration.setBindHost(host);
        configuration.setBindPort(port);
        configuration.setMaxBodySize(maxBodyBytes);
        TlsPlatformHttpServer server = new TlsPlatformHttpServer(configuration, tls, guard);
        main.addInitialProperty("camel.server.enabled", "false");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                try {
                    // platform-http finds its router by the port of a started server or, before, of this configuration
                    configured.getCamelContext().getRegistry().bind("tsunagi-https-server-configuration", configuration);
                    configured.getCamelContext().addService(server);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot add the HTTP server", e);
                }
            }
        });
        main.start();
        if (routes != null) {
            try {
                reload.set(ConnectorReload.start(main.getCamelContext(), routes.confDirectory(), routes.tsunagi(), RELOAD_INTERVAL));
            } catch (Exception e) {
                main.stop();
                throw e;
            }
        }
        return new GatewayServer(main, port, reload.get());
    }

    /** Adds routes to the running server (the administrator console). */
    public void addRoutes(RoutesBuilder builder) throws Exception {
        main.getCamelContext().addRoutes(builder);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        if (reload != null) {
            reload.close();
        }
        main.stop();
    }
}
