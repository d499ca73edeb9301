package jp.tsunagi.gateway.store;

/**
 * What the store knows of a submitted messageId: new, an exact repeat (answer 200 with the original receipt), or
 * the same id with other content (answer 409).
 *
 * @param receipt the original signed receipt for a {@link Outcome#REPEAT}, else null (also null if it was never
 *                attached)
 */
public record IdempotencyCheck(Outcome outcome, byte[] receipt) {
    public enum Outcome { NEW, REPEAT, CONFLICT }

    static IdempotencyCheck ofNew() {
        return new IdempotencyCheck(Outcome.NEW, null);
    }

    @Override
    public String toString() {
        return "IdempotencyCheck[" + outcome + "]";
    }
}
