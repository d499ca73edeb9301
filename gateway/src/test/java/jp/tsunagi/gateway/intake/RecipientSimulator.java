package jp.tsunagi.gateway.intake;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agency system as the tests see it: one HTTP server whose path {@code /<agencyId>} receives that agency's
 * copies. It answers with the status the test sets, and, like an idempotent receiver, processes a copy only once
 * per Idempotency-Key.
 */
public final class RecipientSimulator implements AutoCloseable {
    public record Received(String agency, String idempotencyKey, String contentType, byte[] body) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final List<Received> processed = new CopyOnWriteArrayList<>();
    private final List<String> seenKeys = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int answer = 200;
    private final java.util.Map<String, Integer> answerFor = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long delayMillis;

    public RecipientSimulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            sleep(delayMillis);
            int status = answerFor.getOrDefault(exchange.getRequestURI().getPath().substring(1), answer);
            if (status < 300 && !seenKeys.contains(key)) {
                seenKeys.add(key);
                processed.add(new Received(exchange.getRequestURI().getPath().substring(1), key,
                        exchange.getRequestHeaders().getFirst("Content-Type"), body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String endpoint(String agencyId) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + agencyId;
    }

    void answerWith(int status) {
        this.answer = status;
    }

    /** One agency's system answers this status, the others as before. */
    public void answerWith(String agencyId, int status) {
        answerFor.put(agencyId, status);
    }

    /** Answers only after this long, so that copies are in flight when the test wants them to be. */
    void delay(long millis) {
        this.delayMillis = millis;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int requests() {
        return requests.get();
    }

    public List<Received> processedBy(String agency) {
        List<Received> result = new ArrayList<>();
        for (Received r : processed) {
            if (r.agency().equals(agency)) {
                result.add(r);
            }
        }
        return result;
    }

    public List<Received> processed() {
        return List.copyOf(processed);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
