package jp.tsunagi.gateway.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One forwarded copy of a message for one recipient (送信待ち), as the outbox holds it.
 *
 * @param id                database id, 0 before {@link MessageStore#enqueue}
 * @param messageId         id of the forwarded (gateway-signed) message; the recipient's Idempotency-Key
 * @param originalMessageId id of the accepted message it was made from (null for a message the gateway originates
 *                          without one)
 * @param mediaType         {@code application/json} or {@code application/xml}
 * @param payload           the forwarded document in clear; null when not loaded (listings) or purged
 * @param claimedBy         the worker holding the lease, while delivering (and kept on a row cancelled in flight)
 * @param claimedUntil      end of that lease: after it another worker may take the row
 * @param lastErrorCode     stable code of the last failure ({@code http.503}, {@code http.timeout},
 *                          {@code consent.withdrawn}, ...), null if none
 * @param orderKey          position in the queue of (referralId, recipient)
 */
public record OutboxItem(long id, String messageId, String originalMessageId, String recipient, String referralId,
                         String mediaType, byte[] payload, OutboxStatus status, int attempts, Instant nextAttemptAt,
                         String claimedBy, Instant claimedUntil, String lastErrorCode, Instant createdAt,
                         Instant deliveredAt, Instant deadAt, long orderKey, Instant payloadPurgedAt) {
    public OutboxItem {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(status, "status");
    }

    /** A new copy to enqueue, due at once. */
    public static OutboxItem pending(String messageId, String originalMessageId, String recipient, String referralId,
                                     String mediaType, byte[] payload, Instant createdAt) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
        return new OutboxItem(0, messageId, originalMessageId, recipient, referralId, mediaType, payload,
                OutboxStatus.PENDING, 0, createdAt, null, null, null, createdAt, null, null, 0, null);
    }

    /** The same row without its document, for listeners, listings and logs. */
    public OutboxItem withoutPayload() {
        return payload == null ? this : new OutboxItem(id, messageId, originalMessageId, recipient, referralId,
                mediaType, null, status, attempts, nextAttemptAt, claimedBy, claimedUntil, lastErrorCode, createdAt,
                deliveredAt, deadAt, orderKey, payloadPurgedAt);
    }

    /** Without the document: never shows what it holds. */
    @Override
    public String toString() {
        return "OutboxItem[" + id + " " + messageId + " to " + recipient + " referral " + referralId + " #" + orderKey
                + " " + status + " attempts " + attempts + (lastErrorCode == null ? "" : " " + lastErrorCode) + "]";
    }
}
