package jp.tsunagi.gateway.app;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.delivery.DeliveryListener;
import jp.tsunagi.gateway.delivery.DeliveryResult;
import jp.tsunagi.gateway.referral.ReferralLedger;
import jp.tsunagi.gateway.store.OutboxItem;

/**
 * Every delivery attempt, delivery and dead letter is audited in the transaction that updates the outbox row, and
 * handed to the referral ledger, which moves the referral only when the copy is the referral's own forwarded copy.
 */
public final class DeliveryAudit implements DeliveryListener {
    private final AuditChain audit;
    private final GatewayMetrics metrics;
    private final ReferralLedger ledger;
    private final String gatewayId;

    public DeliveryAudit(AuditChain audit, GatewayMetrics metrics, ReferralLedger ledger, String gatewayId) {
        this.audit = audit;
        this.metrics = metrics;
        this.ledger = ledger;
        this.gatewayId = gatewayId;
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
        if (item.createdAt() != null) {
            metrics.delivered(java.time.Duration.between(item.createdAt(), at));
        }
        ledger.copyDelivered(c, item, at);
    }

    @Override
    public void deadLettered(Connection c, OutboxItem item, String code, Instant at) throws SQLException {
        audit.append(c, event(AuditAction.DEAD_LETTERED, item).withOutcome("to." + item.recipient()).withCode(code));
        metrics.deadLetter();
        ledger.copyDeadLettered(c, item, code, at);
    }

    private AuditEvent event(AuditAction action, OutboxItem item) {
        return AuditEvent.of(action, gatewayId).withMessage(item.messageId(), item.referralId());
    }
}
