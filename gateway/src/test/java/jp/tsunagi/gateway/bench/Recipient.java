package jp.tsunagi.gateway.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agency systems of a benchmark: one HTTP server whose path {@code /<agencyId>} receives that agency's copies,
 * answers 200 at once, and counts the copies of each message by its referral id (the load gives each message its own;
 * a forwarded copy has a message id of its own, the referral id is the sender's), so a run can wait for the last one
 * and tell duplicates from losses.
 */
final class Recipient implements AutoCloseable {
    private static final Pattern REFERRAL_ID = Pattern.compile("\"referralId\"\\s*:\\s*\"([^\"]+)\"");
    private final HttpServer server;
    /** Requests that have arrived, answered or not. */
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile long delayMillis;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    /** agency -> referral id -> Idempotency-Key of the copy -> times received */
    private final Map<String, Map<String, Map<String, AtomicInteger>>> copies = new ConcurrentHashMap<>();

    Recipient() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            arrived.incrementAndGet();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String agency = exchange.getRequestURI().getPath().substring(1);
            Matcher referral = REFERRAL_ID.matcher(body);
            String copy = String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            String message = referral.find() ? referral.group(1) : copy;
            copies.computeIfAbsent(agency, a -> new ConcurrentHashMap<>())
                    .computeIfAbsent(message, m -> new ConcurrentHashMap<>())
                    .computeIfAbsent(copy, k -> new AtomicInteger()).incrementAndGet();
            sleep(delayMillis);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    /** Answers only after this long, so that copies are on the wire when a test wants them to be. */
    void delay(long millis) {
        this.delayMillis = millis;
    }

    int arrived() {
        return arrived.get();
    }

    /** The Idempotency-Keys (the forwarded copies' message ids) the agency has received. */
    java.util.Set<String> copyKeys(String agency) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        copies.getOrDefault(agency, Map.of()).values().forEach(k -> keys.addAll(k.keySet()));
        return keys;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String endpoint(String agencyId) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + agencyId;
    }

    /** Messages the agency has received at least once. */
    int messages(String agency) {
        return copies.getOrDefault(agency, Map.of()).size();
    }

    /** Copies received beyond the first of each message (resends of the same copy included). */
    int duplicates(String agency) {
        return copies.getOrDefault(agency, Map.of()).values().stream()
                .mapToInt(keys -> keys.values().stream().mapToInt(AtomicInteger::get).sum() - 1).sum();
    }

    /**
     * Messages that arrived as more than one distinct copy (different Idempotency-Keys): a recipient's dedup cannot
     * catch those. A resend of the same copy (after a crash between sending and recording) it can.
     */
    int messagesInSeveralCopies(String agency) {
        return (int) copies.getOrDefault(agency, Map.of()).values().stream().filter(keys -> keys.size() > 1).count();
    }

    boolean received(String agency, String referralId) {
        return copies.getOrDefault(agency, Map.of()).containsKey(referralId);
    }

    void forget() {
        copies.clear();
    }

    /** Waits until the agency has n messages; false after the timeout. */
    boolean await(String agency, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (messages(agency) < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
