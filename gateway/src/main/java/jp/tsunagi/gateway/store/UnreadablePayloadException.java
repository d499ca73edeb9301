package jp.tsunagi.gateway.store;

/**
 * A stored payload that does not decrypt: tampered, moved to another row or column, or encrypted with another key.
 * The message says which row, never what the payload holds.
 */
public final class UnreadablePayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnreadablePayloadException(String message) {
        super(message);
    }

    public UnreadablePayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
