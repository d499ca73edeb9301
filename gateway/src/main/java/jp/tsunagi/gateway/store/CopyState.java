package jp.tsunagi.gateway.store;

import java.time.Instant;

/**
 * One outbox row (a forwarded copy or a notice) as operators see it: ids, agencies, codes, counts and times, never
 * the payload.
 *
 * @param referralCopy whether it is the referral's own forwarded copy (only its delivery moves the referral)
 * @param cancelledAt  when an administrator cancelled it (a dead letter), else null
 */
public record CopyState(long id, String messageId, String recipient, String referralId, OutboxStatus status,
                        int attempts, String lastErrorCode, Instant createdAt, Instant nextAttemptAt,
                        Instant deliveredAt, Instant deadAt, Instant cancelledAt, boolean referralCopy) {

    /** What an operator calls its state: pending, retrying, delivered, dead or cancelled. */
    public String state() {
        return switch (status) {
            case PENDING -> attempts == 0 ? "pending" : "retrying";
            case DELIVERED -> "delivered";
            case DEAD -> cancelledAt != null ? "cancelled" : "dead";
        };
    }
}
