package jp.tsunagi.gateway.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
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
 * keeps Camel's router, body handler and consumers and only replaces how the listening socket is opened; plain HTTP
 * is opened here too, so that both have the {@link ConnectionGuard} (timeouts, connections per client).
 */
final class TlsPlatformHttpServer extends VertxPlatformHttpServer {
    private final VertxPlatformHttpServerConfiguration configuration;
    private final ServerTls tls;
    private final ConnectionGuard guard;
    private HttpServer https;

    /** @param tls null for plain HTTP: the server is still this one, for the {@link ConnectionGuard} */
    TlsPlatformHttpServer(VertxPlatformHttpServerConfiguration configuration, ServerTls tls, ConnectionGuard guard) {
        super(configuration);
        this.configuration = configuration;
        this.tls = tls;
        this.guard = guard;
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
        root.route().failureHandler(TlsPlatformHttpServer::bodyOverTheServerLimit);
        HttpServerOptions options = guard.applyTo(tls == null ? new HttpServerOptions() : tls.serverOptions());
        HttpServer server = guard.guard(getVertx(), getVertx().createHttpServer(options), root);
        this.https = server.listen(configuration.getBindPort(), configuration.getBindHost())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /**
     * A body over the server's hard limit is cut off by the body handler before any route sees it. Without this, Vert.x
     * answered a bare 413 and logged an ERROR line for each one, a log any client could flood; the answer is now the
     * problem the intake gives a message over the configured limit.
     */
    private static void bodyOverTheServerLimit(io.vertx.ext.web.RoutingContext context) {
        if (context.statusCode() != 413 || context.response().headWritten()) {
            context.next();
            return;
        }
        Answer answer = Problems.answer(413, "message.too_large", "The message is larger than the server accepts.");
        context.response().setStatusCode(413).putHeader("Content-Type", answer.contentType())
                .putHeader("Connection", "close").end(io.vertx.core.buffer.Buffer.buffer(answer.body()));
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
