package jp.tsunagi.connectors.simulator;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/**
 * A stand-in for an agency's system (模擬システム) that receives the gateway's copies over HTTP: it keeps what it
 * receives, answers 200, and, like a well-behaved idempotent receiver, processes a copy once per Idempotency-Key.
 * The demo runs one per agency. {@link NativeHttpAgency} is the variant for systems that speak their own vocabulary
 * and answer with a body; both share {@link HttpReceiver}.
 */
public final class SimulatedAgency implements AutoCloseable {
    /** One copy as the agency's system received it. */
    public record Received(String idempotencyKey, String contentType, byte[] body) {
    }

    private static final HttpReceiver.Answer OK = new HttpReceiver.Answer(200, null, new byte[0]);
    private static final HttpReceiver.Answer DOWN = new HttpReceiver.Answer(503, null, new byte[0]);

    private final String agencyId;
    private final HttpReceiver<Received> receiver;

    private SimulatedAgency(String agencyId, HttpReceiver<Received> receiver) {
        this.agencyId = agencyId;
        this.receiver = receiver;
    }

    /** Listens on 127.0.0.1:port (0 for a free port) for POSTs to path. */
    public static SimulatedAgency start(String agencyId, int port, String path) throws IOException {
        return start(agencyId, port, path, () -> false);
    }

    /** The same, answering 503 (keeping nothing) while {@code down} says the system is down. */
    public static SimulatedAgency start(String agencyId, int port, String path, java.util.function.BooleanSupplier down)
            throws IOException {
        return new SimulatedAgency(agencyId, HttpReceiver.start(port, path,
                (target, key, contentType, body) -> new Received(key, contentType, body),
                copy -> down.getAsBoolean() ? DOWN : OK));
    }

    public String agencyId() {
        return agencyId;
    }

    /** Copies received so far, in order of arrival, repeats of an Idempotency-Key left out. */
    public List<Received> received() {
        return receiver.received();
    }

    public int port() {
        return receiver.port();
    }

    /** The URL the gateway delivers to: http://127.0.0.1:port/path. */
    public URI endpoint() {
        return receiver.endpoint();
    }

    @Override
    public void close() {
        receiver.close();
    }
}
