package jp.tsunagi.gateway.intake;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.delivery.DeliveryListener;
import jp.tsunagi.gateway.delivery.DeliveryResult;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.store.OutboxItem;
import jp.tsunagi.gateway.store.ReferralEvent;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.schema.model.ReferralStatus;

/**
 * Every delivery attempt, delivery and dead letter is audited in the transaction that updates the outbox row; a
 * referral copy delivered to its recipient moves the referral to RECEIVED, one dead-lettered to FAILED.
 */
final class DeliveryAudit implements DeliveryListener {
    private final AuditChain audit;
    private final MessageStore store;
    private final GatewayMetrics metrics;

    DeliveryAudit(AuditChain audit, MessageStore store, GatewayMetrics metrics) {
        this.audit = audit;
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    public void attempted(Connection c, OutboxItem item, int attempt, DeliveryResult result, Instant at) throws SQLException {
        audit.append(c, event(AuditAction.DELIVERY_ATTEMPT, item).withOutcome(result.outcome().name().toLowerCase() + "." + attempt)
                .withCode(result.code()));
        metrics.deliveryAttempt(result.outcome().name());
    }

    @Override
    public void delivered(Connection c, OutboxItem item, Instant at) throws SQLException {
        audit.append(c, event(AuditAction.DELIVERED, item).withOutcome("to." + item.recipient()));
        moveReferral(c, item, ReferralStatus.SENT, ReferralStatus.RECEIVED, at, null);
    }

    @Override
    public void deadLettered(Connection c, OutboxItem item, String code, Instant at) throws SQLException {
        audit.append(c, event(AuditAction.DEAD_LETTERED, item).withOutcome("to." + item.recipient()).withCode(code));
        metrics.deadLetter();
        moveReferral(c, item, ReferralStatus.SENT, ReferralStatus.FAILED, at, "DELIVERY_FAILED");
    }

    /** Only the referral copy to the referral's recipient moves its state, and only from SENT. */
    private void moveReferral(Connection c, OutboxItem item, ReferralStatus from, ReferralStatus to, Instant at, String reason)
            throws SQLException {
        ReferralRecord referral = store.lockReferral(c, item.referralId()).orElse(null);
        if (referral == null || referral.status() != from || !referral.recipient().equals(item.recipient())) {
            return;
        }
        store.upsertReferral(c, new ReferralRecord(referral.referralId(), referral.sender(), referral.recipient(), to,
                referral.consentId(), referral.subjectRef(), referral.createdAt(), at));
        store.appendReferralEvent(c, new ReferralEvent(referral.referralId(), to, at, "gateway", reason, item.messageId()));
        audit.append(c, event(AuditAction.STATUS_CHANGED, item).withSubject(referral.subjectRef()).withOutcome("changed." + to.name()));
    }

    private static AuditEvent event(AuditAction action, OutboxItem item) {
        return AuditEvent.of(action, "gateway").withMessage(item.messageId(), item.referralId());
    }
}
