package jp.tsunagi.gateway.http;

import org.apache.camel.main.Main;

/** The HTTP server of the gateway: Camel Main with the platform-http (Vert.x) server and {@link HttpRoutes}. */
public final class GatewayServer implements AutoCloseable {
    private final Main main;
    private final int port;

    private GatewayServer(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /**
     * Starts listening; returns once the routes are up.
     *
     * @param maxBodyBytes the hard limit at which the server itself cuts a request off; the intake checks the
     *                     configured message limit, below it, and answers 413 with a problem
     */
    public static GatewayServer start(Intake intake, String host, int port, long maxBodyBytes) throws Exception {
        Main main = new Main();
        main.configure().addRoutesBuilder(new HttpRoutes(intake));
        main.addInitialProperty("camel.main.name", "tsunagi");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", host);
        main.addInitialProperty("camel.server.port", String.valueOf(port));
        main.addInitialProperty("camel.server.maxBodySize", String.valueOf(maxBodyBytes));
        main.addInitialProperty("camel.main.routes-include-pattern", "false");
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
