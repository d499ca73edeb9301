package jp.tsunagi.connectors.simulator;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A stand-in for an agency system that speaks its own vocabulary over HTTP rather than Tsunagi messages: the welfare
 * office's public-assistance system (生活保護システム) posting and receiving its own XML, or the care-system vendor's
 * REST/JSON API at the community general support center (地域包括支援センター).
 *
 * <p>As a receiver it listens on 127.0.0.1, accepts POSTs of any content type under one path, keeps each body with
 * its content type and Idempotency-Key, and answers what {@code responder} makes of the request: an acknowledgement
 * in the system's own words (受付結果 XML, {@code {"result":"OK","receiptNo":"..."}}). A repeat of an accepted
 * Idempotency-Key is not kept again and gets the first answer back. Only 2xx answers count as accepted, so a
 * responder that answers 503 simulates an outage the sender must retry through.
 *
 * <p>As a sender it POSTs its own documents to a URL, as the real system pushes referrals and status updates to the
 * gateway's inbound connector.
 */
public final class NativeHttpAgency implements AutoCloseable {
    /**
     * One request as the system received it.
     *
     * @param target         path and query the request was sent to (at or below the simulator's path)
     * @param idempotencyKey the Idempotency-Key header, or null
     * @param contentType    the Content-Type header as sent (with its charset parameter, if any), or null
     */
    public record Received(URI target, String idempotencyKey, String contentType, byte[] body) {
        /** The body decoded with the given charset (UTF-8 for JSON, often Windows-31J for older systems' XML). */
        public String text(Charset charset) {
            return new String(body, charset);
        }
    }

    /** A status, content type (may be null) and body (empty when there is none): what is answered, or was answered. */
    public record Reply(int status, String contentType, byte[] body) {
        public Reply {
            body = body == null ? new byte[0] : body;
        }

        /** A reply without body. */
        public static Reply empty(int status) {
            return new Reply(status, null, new byte[0]);
        }

        /** A text reply; the charset is added to the content type, as in {@code application/xml; charset=UTF-8}. */
        public static Reply text(int status, String mediaType, String body, Charset charset) {
            return new Reply(status, mediaType + "; charset=" + charset.name(), body.getBytes(charset));
        }

        public String text(Charset charset) {
            return new String(body, charset);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String agencyId;
    private final HttpReceiver<Received> receiver;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private NativeHttpAgency(String agencyId, HttpReceiver<Received> receiver) {
        this.agencyId = agencyId;
        this.receiver = receiver;
    }

    /**
     * Listens on 127.0.0.1:port (0 for a free port) for POSTs to path and below it, answering each new request with
     * what responder returns. The responder runs once per accepted Idempotency-Key, one request at a time; if it
     * throws, the simulator answers 500 and keeps nothing.
     */
    public static NativeHttpAgency start(String agencyId, int port, String path, Function<Received, Reply> responder)
            throws IOException {
        Objects.requireNonNull(responder, "responder");
        return new NativeHttpAgency(agencyId, HttpReceiver.start(port, path, Received::new, copy -> {
            Reply reply = responder.apply(copy);
            return new HttpReceiver.Answer(reply.status(), reply.contentType(), reply.body());
        }));
    }

    /** A simulator that answers every request with the same reply. */
    public static NativeHttpAgency start(String agencyId, int port, String path, Reply reply) throws IOException {
        Objects.requireNonNull(reply, "reply");
        return start(agencyId, port, path, request -> reply);
    }

    /** POSTs a native document to url, as the real system would, and returns what it was answered. */
    public Reply send(URI url, String contentType, byte[] body) throws IOException {
        return send(url, contentType, body, Map.of());
    }

    /**
     * POSTs a native document with additional headers ({@code Idempotency-Key}, an API key) and returns the status,
     * content type and body of the answer, whatever the status. Throws only when no answer came.
     */
    public Reply send(URI url, String contentType, byte[] body, Map<String, String> headers) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending to " + url);
        }
    }

    public String agencyId() {
        return agencyId;
    }

    /** Requests accepted so far (answered 2xx), in order of arrival, repeats of an Idempotency-Key left out. */
    public List<Received> received() {
        return receiver.received();
    }

    public int port() {
        return receiver.port();
    }

    /** The URL this system receives on: http://127.0.0.1:port/path. */
    public URI endpoint() {
        return receiver.endpoint();
    }

    @Override
    public void close() {
        receiver.close();
    }
}
