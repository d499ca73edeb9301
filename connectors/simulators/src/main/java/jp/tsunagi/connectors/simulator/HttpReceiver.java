package jp.tsunagi.connectors.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The HTTP side the simulators share: listens on 127.0.0.1, takes POSTs under one path, keeps what it accepted and
 * behaves as an idempotent receiver. A request carrying an {@code Idempotency-Key} that was already accepted is not
 * kept again and gets the first answer back, as a real receiver would answer a retry.
 *
 * <p>Only requests answered with a 2xx status count as accepted: a simulator told to answer 503 keeps nothing, so the
 * sender's retry with the same key is processed afresh. Requests are handled one at a time.
 *
 * @param <R> how the simulator records what it received
 */
final class HttpReceiver<R> implements AutoCloseable {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Bodies above this size are refused with 413 rather than cut. */
    static final int MAX_BODY_BYTES = 2 * 1024 * 1024;

    /** What arrived: the request target (path and query), its Idempotency-Key and Content-Type (either may be null). */
    @FunctionalInterface
    interface Recorder<R> {
        R record(URI target, String idempotencyKey, String contentType, byte[] body);
    }

    /** What the simulator answers. */
    record Answer(int status, String contentType, byte[] body) {
    }

    private final HttpServer server;
    private final String path;
    private final Recorder<R> recorder;
    private final Function<R, Answer> responder;
    private final List<R> received = new ArrayList<>();
    private final Map<String, Answer> answered = new HashMap<>();

    private HttpReceiver(HttpServer server, String path, Recorder<R> recorder, Function<R, Answer> responder) {
        this.server = server;
        this.path = path;
        this.recorder = recorder;
        this.responder = responder;
    }

    /** Listens on 127.0.0.1:port (0 for a free port) for POSTs to path and everything below it. */
    static <R> HttpReceiver<R> start(int port, String path, Recorder<R> recorder, Function<R, Answer> responder)
            throws IOException {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with '/'");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        HttpReceiver<R> receiver = new HttpReceiver<>(server, path, recorder, responder);
        server.createContext(path, receiver::handle);
        server.start();
        return receiver;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "POST");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            Answer answer;
            try {
                answer = accept(exchange.getRequestURI(), exchange.getRequestHeaders().getFirst(IDEMPOTENCY_KEY),
                        exchange.getRequestHeaders().getFirst("Content-Type"), body);
            } catch (RuntimeException e) {
                answer = new Answer(500, null, new byte[0]);
            }
            if (answer.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            }
            if (answer.body() == null || answer.body().length == 0) {
                exchange.sendResponseHeaders(answer.status(), -1);
            } else {
                exchange.sendResponseHeaders(answer.status(), answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } finally {
            exchange.close();
        }
    }

    private synchronized Answer accept(URI target, String key, String contentType, byte[] body) {
        if (key != null && answered.containsKey(key)) {
            return answered.get(key);
        }
        R copy = recorder.record(target, key, contentType, body);
        Answer answer = responder.apply(copy);
        if (answer.status() >= 200 && answer.status() < 300) {
            received.add(copy);
            if (key != null) {
                answered.put(key, answer);
            }
        }
        return answer;
    }

    synchronized List<R> received() {
        return List.copyOf(received);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** http://127.0.0.1:port/path, where senders POST. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
