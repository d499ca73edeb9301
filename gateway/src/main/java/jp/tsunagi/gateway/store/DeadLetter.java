package jp.tsunagi.gateway.store;

import java.time.Instant;

/**
 * A dead outbox row (配信不能) as an administrator sees it: ids, codes and counts, never the payload.
 *
 * @param payloadPurged whether retention already removed the document (then it cannot be requeued)
 */
public record DeadLetter(long id, String messageId, String originalMessageId, String recipient, String referralId,
                         int attempts, String lastErrorCode, Instant createdAt, Instant deadAt,
                         boolean payloadPurged) {
}
