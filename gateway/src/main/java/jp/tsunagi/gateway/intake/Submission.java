package jp.tsunagi.gateway.intake;

import jp.tsunagi.schema.codec.MessageFormat;

/**
 * The outcome of one submission to {@link IntakeService}: what the HTTP interface answers and what a connector
 * reports for a record. A store outage is a case of its own, not a refusal code to be recognised again.
 */
public sealed interface Submission {
    /** The HTTP status that answers it. */
    int status();

    /** Accepted and stored (202): the gateway's signed receipt. */
    record Accepted(byte[] receipt, MessageFormat format) implements Submission {
        @Override
        public int status() {
            return 202;
        }
    }

    /** The same message again (200): the receipt of its first acceptance, nothing done twice. */
    record Repeat(byte[] receipt, MessageFormat format) implements Submission {
        @Override
        public int status() {
            return 200;
        }
    }

    /** Refused with a stable code, and audited. */
    record Refused(Rejection rejection) implements Submission {
        @Override
        public int status() {
            return rejection.status();
        }
    }

    /** The durable store failed: nothing was accepted, the sender tries again later (fail closed). */
    record StoreUnavailable() implements Submission {
        /** The one answer to a store outage: 503 {@code store.unavailable}. */
        public static final Rejection REJECTION = Rejection.of(503, "store.unavailable",
                "The durable store is unavailable: nothing was accepted.");

        @Override
        public int status() {
            return REJECTION.status();
        }
    }
}
