package jp.tsunagi.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a connection to the HTTP server may cost: it is closed when idle, when a request's headers have not arrived
 * in time (200 connections trickling headers for 60 s were all kept open), and beyond a number of connections per
 * client address. Vert.x has an idle timeout but no header-read timeout, so the header clock is kept here: it runs
 * from the connection's opening and from the end of each answer, and stops when a request's headers are complete.
 */
public record ConnectionGuard(Duration idleTimeout, Duration headerTimeout, int maxPerClient) {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    public static final ConnectionGuard DEFAULT = new ConnectionGuard(Settings.HTTP_IDLE_TIMEOUT.defaultValue(),
            Settings.HTTP_HEADER_TIMEOUT.defaultValue(), Settings.HTTP_MAX_CONNECTIONS_PER_CLIENT.defaultValue());

    public static ConnectionGuard from(SettingsFile file) {
        return new ConnectionGuard(file.get(Settings.HTTP_IDLE_TIMEOUT), file.get(Settings.HTTP_HEADER_TIMEOUT),
                file.get(Settings.HTTP_MAX_CONNECTIONS_PER_CLIENT));
    }

    /**
     * Also turns off HTTP/2 over cleartext (h2c, which no agency needs): while Vert.x waits to tell h2c from HTTP/1.1
     * it has no connection to hand over, so a client that sends nothing would escape the header clock.
     */
    HttpServerOptions applyTo(HttpServerOptions options) {
        return options.setHttp2ClearTextEnabled(false).setIdleTimeout((int) Math.max(1, idleTimeout.toMillis())).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /** The server with the guard around its connections and its request handler. */
    HttpServer guard(Vertx vertx, HttpServer server, Handler<HttpServerRequest> requests) {
        Map<String, AtomicInteger> perClient = new ConcurrentHashMap<>();
        Map<HttpConnection, Long> headerClocks = new ConcurrentHashMap<>();
        server.connectionHandler(connection -> {
            String client = connection.remoteAddress() == null ? "?" : connection.remoteAddress().hostAddress();
            AtomicInteger open = perClient.computeIfAbsent(client, c -> new AtomicInteger());
            if (open.incrementAndGet() > maxPerClient) {
                open.decrementAndGet();
                LOG.warn("http: a connection from {} refused: it already holds {} (tsunagi.http.max-connections-per-client)",
                        client, maxPerClient);
                connection.close();
                return;
            }
            connection.closeHandler(closed -> {
                if (open.decrementAndGet() <= 0) {
                    perClient.remove(client, open);
                }
                Long clock = headerClocks.remove(connection);
                if (clock != null) {
                    vertx.cancelTimer(clock);
                }
            });
            startHeaderClock(vertx, connection, headerClocks);
        });
        return server.requestHandler(request -> {
            HttpConnection connection = request.connection();
            Long clock = headerClocks.remove(connection);
            if (clock != null) {
                vertx.cancelTimer(clock);
            }
            request.response().endHandler(done -> startHeaderClock(vertx, connection, headerClocks));
            requests.handle(request);
        });
    }

    private void startHeaderClock(Vertx vertx, HttpConnection connection, Map<HttpConnection, Long> clocks) {
        long timer = vertx.setTimer(Math.max(1, headerTimeout.toMillis()), fired -> {
            if (clocks.remove(connection) != null) {
                connection.close(); // no complete request headers in time
            }
        });
        Long previous = clocks.put(connection, timer);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
    }
}
