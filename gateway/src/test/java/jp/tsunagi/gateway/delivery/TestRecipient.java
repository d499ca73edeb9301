package jp.tsunagi.gateway.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import jp.tsunagi.gateway.config.Connector;

/**
 * An agency system receiving forwarded messages: a real HTTP server on 127.0.0.1 that records every request (its
 * Idempotency-Key, Content-Type, body and arrival time) and answers what the test tells it to.
 */
final class TestRecipient implements AutoCloseable {
    record Arrival(String idempotencyKey, String contentType, byte[] body, Instant at, int answered) {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlightByKey = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final AtomicInteger peakSameKey = new AtomicInteger();
    private volatile IntSupplier answer = () -> 200;
    private volatile Duration delay = Duration.ZERO;
    private volatile java.util.concurrent.CountDownLatch holdFirst;

    private TestRecipient(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/tsunagi/messages", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    static TestRecipient start() throws IOException {
        return new TestRecipient(0);
    }

    /** A recipient coming back on the address it had before. */
    static TestRecipient startOn(int port) throws IOException {
        return new TestRecipient(port);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port() + "/tsunagi/messages";
    }

    /** The connector registry of a test: every agency is this recipient. */
    java.util.function.Function<String, Optional<Connector>> connectors() {
        String endpoint = endpoint();
        return id -> Optional.of(new Connector("http", endpoint));
    }

    /** Answers these statuses in turn, then the last one forever. */
    TestRecipient answering(int... statuses) {
        AtomicInteger next = new AtomicInteger();
        answer = () -> statuses[Math.min(next.getAndIncrement(), statuses.length - 1)];
        return this;
    }

    TestRecipient slow(Duration d) {
        delay = d;
        return this;
    }

    /** Keeps the first request on the wire (unanswered) until the latch is released: a slow recipient, on cue. */
    TestRecipient holdingFirstUntil(java.util.concurrent.CountDownLatch release) {
        holdFirst = release;
        return this;
    }

    List<Arrival> arrivals() {
        return new ArrayList<>(arrivals);
    }

    /** Requests answered 2xx. */
    List<Arrival> accepted() {
        return arrivals.stream().filter(a -> a.answered() >= 200 && a.answered() < 300).toList();
    }

    int peakInFlight() {
        return peakInFlight.get();
    }

    int peakConcurrentSameKey() {
        return peakSameKey.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant at = Instant.now();
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        AtomicInteger sameKey = inFlightByKey.computeIfAbsent(String.valueOf(key), k -> new AtomicInteger());
        peakSameKey.accumulateAndGet(sameKey.incrementAndGet(), Math::max);
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            if (!delay.isZero()) {
                Thread.sleep(delay.toMillis());
            }
            java.util.concurrent.CountDownLatch hold = holdFirst;
            if (hold != null) {
                holdFirst = null;
                hold.await();
            }
            int status = answer.getAsInt();
            arrivals.add(new Arrival(key, exchange.getRequestHeaders().getFirst("Content-Type"), body, at, status));
            exchange.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
            sameKey.decrementAndGet();
            inFlight.decrementAndGet();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
