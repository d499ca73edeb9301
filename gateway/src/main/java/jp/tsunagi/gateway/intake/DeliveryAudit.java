package jp.tsunagi.gateway.intake;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.delivery.DeliveryListener;
import jp.tsunagi.gateway.delivery.DeliveryResult;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.store.OutboxItem;
import jp.tsunagi.gateway.store.ReferralEvent;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.ReferralStatus;
import jp.tsunagi.schema.model.StatusReason;

/**
 * Every delivery attempt, delivery and dead letter is audited in the transaction that updates the outbox row; a
 * referral copy delivered to its recipient moves the referral to RECEIVED, one dead-lettered to FAILED.
 */
final class DeliveryAudit implements DeliveryListener {
    private final AuditChain audit;
    private final MessageStore store;
    private final GatewayMetrics metrics;
    private final AgencyDirectory agencies;
    private final GatewayStatusNotice notices;

    DeliveryAudit(AuditChain audit, MessageStore store, GatewayMetrics metrics, AgencyDirectory agencies,
                  GatewayStatusNotice notices) {
        this.audit = audit;
        this.store = store;
        this.metrics = metrics;
        this.agencies = agencies;
        this.notices = notices;
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
        if (MessageStore.CONSENT_WITHDRAWN.equals(code)) {
            return; // stopped by the person's withdrawal, not lost: nothing to report as 不達, nothing to resend
        }
        moveReferral(c, item, ReferralStatus.SENT, ReferralStatus.FAILED, at, StatusReason.DELIVERY_FAILED);
    }

    /**
     * Only the referral copy to the referral's recipient moves its state, and only from SENT; the sender is told
     * (受信 or 不達), in its own format like any status update, so that a referral that cannot be delivered is never
     * silently lost.
     */
    private void moveReferral(Connection c, OutboxItem item, ReferralStatus from, ReferralStatus to, Instant at,
                              StatusReason reason) throws SQLException {
        ReferralRecord referral = store.lockReferral(c, item.referralId()).orElse(null);
        if (referral == null || referral.status() != from || !referral.recipient().equals(item.recipient())) {
            return;
        }
        store.upsertReferral(c, new ReferralRecord(referral.referralId(), referral.sender(), referral.recipient(), to,
                referral.consentId(), referral.subjectRef(), referral.createdAt(), at));
        store.appendReferralEvent(c, new ReferralEvent(referral.referralId(), to, at, "gateway",
                reason == null ? null : reason.name(), item.messageId()));
        audit.append(c, event(AuditAction.STATUS_CHANGED, item).withSubject(referral.subjectRef()).withOutcome("changed." + to.name()));
        if (agencies.agency(referral.sender()).map(a -> a.accepts().contains(MessageType.STATUS_UPDATE)).orElse(false)) {
            String noticeId = UUID.randomUUID().toString();
            MessageFormat format = item.mediaType().startsWith(MessageFormat.XML.mediaType()) ? MessageFormat.XML : MessageFormat.JSON;
            byte[] notice = notices.document(noticeId, referral, to, reason, at, note(referral, to), at, format);
            store.enqueue(c, OutboxItem.pending(noticeId, null, referral.sender(), referral.referralId(), format.mediaType(), notice, at));
            audit.append(c, AuditEvent.of(AuditAction.FORWARD_SCHEDULED, "gateway").withMessage(noticeId, referral.referralId())
                    .withSubject(referral.subjectRef()).withOutcome("to." + referral.sender())
                    .withCode("notice." + to.name().toLowerCase(Locale.ROOT)));
        }
    }

    /** What the sender's staff read: ids and agencies only, in Japanese and English. */
    static String note(ReferralRecord referral, ReferralStatus status) {
        return status == ReferralStatus.RECEIVED
                ? "[delivery.received] 紹介 " + referral.referralId() + " は " + referral.recipient() + " のシステムに届きました。"
                        + " (Delivered to the system of " + referral.recipient() + ".)"
                : "[delivery.failed] 紹介 " + referral.referralId() + " を " + referral.recipient() + " のシステムに届けられませんでした"
                        + " (配信断念)。ゲートウェイの管理者が原因を確かめて再送します。急ぐ場合は送付先に別の手段で連絡してください。"
                        + " (Could not be delivered to the system of " + referral.recipient() + "; the gateway's administrators"
                        + " see it among the dead letters.)";
    }

    private static AuditEvent event(AuditAction action, OutboxItem item) {
        return AuditEvent.of(action, "gateway").withMessage(item.messageId(), item.referralId());
    }
}
