package jp.tsunagi.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/**
 * The platform-http (Vert.x) server of Camel, listening with {@link ServerTls}. Camel 4.18's own TLS setup
 * ({@code camel.server.useGlobalSslContextParameters} and {@code SSLContextParameters}) sets the key and trust
 * managers on the Vert.x server but never its client authentication, so a server configured that way never asks
 * for a client certificate ({@code SSLContextServerParameters#setClientAuthentication} is ignored). This server
 * keeps Camel's router, body handler and consumers and only replaces how the listening socket is opened.
 */
final class TlsPlatformHttpServer extends VertxPlatformHttpServer {
    private final VertxPlatformHttpServerConfiguration configuration;
    private final ServerTls tls;
    private HttpServer https;

    TlsPlatformHttpServer(VertxPlatformHttpServerConfiguration configuration, ServerTls tls) {
        super(configuration);
        this.configuration = configuration;
        this.tls = tls;
    }

    @Override
    protected void startServer() throws Exception {
        // the router that Camel's initializeServer bound for this port, with the consumers' routes on it
        VertxPlatformHttpRouter camelRouter = VertxPlatformHttpRouter.lookup(getCamelContext(),
                VertxPlatformHttpRouter.getRouterNameFromPort(configuration.getPort()));
        if (camelRouter == null) {
            throw new IllegalStateException("platform-http did not bind its router");
        }
        Router root = Router.router(getVertx());
        root.route(configuration.getPath() + "*").subRouter(camelRouter);
        HttpServer server = getVertx().createHttpServer(tls.serverOptions()).requestHandler(root);
        this.https = server.listen(configuration.getBindPort(), configuration.getBindHost())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Override
    protected void stopServer() {
        if (https == null) {
            return;
        }
        try {
            getCamelContext().removeComponent(PlatformHttpConstants.PLATFORM_HTTP_COMPONENT_NAME);
            https.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        } finally {
            https = null;
        }
    }

    /** A Vert.x instance this server created (none was bound in the registry) ends with it, threads and all. */
    @Override
    protected void stopVertx() {
        Vertx vertx = getVertx();
        if (vertx == null || lookupVertx() != null) {
            return;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public HttpServer getServer() {
        return https;
    }

    @Override
    public int getPort() {
        return https != null ? https.actualPort() : configuration.getBindPort();
    }
}
