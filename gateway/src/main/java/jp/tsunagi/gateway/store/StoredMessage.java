package jp.tsunagi.gateway.store;

import java.time.Instant;
import java.util.Objects;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.model.MessageType;

/**
 * A message the gateway accepted, as the sender signed it.
 *
 * @param contentSha256   lower-case hex SHA-256 of the canonical original: what makes a repeat a repeat
 * @param payload         the original signed document; null once purged by retention
 * @param payloadPurgedAt when retention removed the payload, else null
 * @param receipt         the signed receipt that answered it (given again to an exact repeat), or null if not yet
 *                        attached
 */
public record StoredMessage(String messageId, MessageType messageType, String sender, String recipient,
                            String referralId, Instant receivedAt, String contentSha256, MessageFormat format,
                            byte[] payload, Instant payloadPurgedAt, byte[] receipt) {
    public StoredMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(format, "format");
        if (contentSha256 == null || !contentSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("contentSha256 must be 64 lower-case hex digits");
        }
    }

    /** A new message to save: not purged, with the signed receipt that answers it (optional). */
    public static StoredMessage accepted(String messageId, MessageType messageType, String sender, String recipient,
                                         String referralId, Instant receivedAt, String contentSha256,
                                         MessageFormat format, byte[] payload, byte[] receipt) {
        return new StoredMessage(messageId, messageType, sender, recipient, referralId, receivedAt, contentSha256,
                format, Objects.requireNonNull(payload, "payload"), null, receipt);
    }

    /** Without the documents: never shows what they hold. */
    @Override
    public String toString() {
        return "StoredMessage[" + messageId + " " + messageType + " " + sender + "->" + recipient + " referral "
                + referralId + " " + format + (payload == null ? " purged" : " " + payload.length + " bytes") + "]";
    }
}
