package jp.tsunagi.gateway.delivery;

import java.util.Objects;

/**
 * The outcome of one delivery attempt, with a stable code for the outbox row and the audit ({@code http.503},
 * {@code http.timeout}, {@code recipient.unknown}, ...); never anything from the payload or the recipient's body.
 *
 * @param httpStatus the recipient's HTTP status, or 0 when there was no answer
 */
public record DeliveryResult(Outcome outcome, String code, int httpStatus) {
    public enum Outcome {
        /** the recipient has it */
        DELIVERED,
        /** try again later (server error, timeout, no connection, too many requests) */
        RETRY,
        /** trying again cannot help (the recipient refused it, or it cannot be addressed): dead letter at once */
        PERMANENT
    }

    public DeliveryResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(code, "code");
    }

    public static DeliveryResult delivered(int httpStatus) {
        return new DeliveryResult(Outcome.DELIVERED, "http." + httpStatus, httpStatus);
    }

    public static DeliveryResult retry(String code) {
        return new DeliveryResult(Outcome.RETRY, code, 0);
    }

    public static DeliveryResult retry(String code, int httpStatus) {
        return new DeliveryResult(Outcome.RETRY, code, httpStatus);
    }

    public static DeliveryResult permanent(String code) {
        return new DeliveryResult(Outcome.PERMANENT, code, 0);
    }

    public static DeliveryResult permanent(String code, int httpStatus) {
        return new DeliveryResult(Outcome.PERMANENT, code, httpStatus);
    }
}
