package jp.tsunagi.gateway.referral;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.policy.Party;
import jp.tsunagi.gateway.policy.PolicyCodes;
import jp.tsunagi.gateway.policy.ReferralLifecycle;
import jp.tsunagi.gateway.policy.Transition;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.store.OutboxItem;
import jp.tsunagi.gateway.store.ReferralEvent;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.model.AgencyType;
import jp.tsunagi.schema.model.LegalBasis;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.ReferralStatus;
import jp.tsunagi.schema.model.StatusReason;

/**
 * The referral ledger (紹介台帳): the one owner of a referral's state and of the copies and notices about it. Every
 * change (a new referral, a party's status update, a delivery outcome, a consent withdrawal, an escalation notice)
 * comes here, inside the caller's transaction: the referral row is locked, {@link ReferralLifecycle} decides (the
 * gateway's own moves too, as {@link Party#GATEWAY}), the event is appended, the audit entries written, and copies and
 * notices queued for their exact recipients. No other class writes the {@code referral} and {@code referral_event}
 * tables.
 *
 * <p>A delivery outcome is matched to the exact copy: only the referral's own forwarded copy moves it (delivered:
 * RECEIVED; dead letter: FAILED; stopped by a withdrawal: CANCELLED). A notice about the referral (a status update, a
 * withdrawal notice, a gateway notice) never changes it. Nothing of the person is written beyond the keyed pseudonym
 * the referral already has.
 */
public final class ReferralLedger {
    /** A signed copy to queue for one recipient: its own message id, the accepted message it came from (or null). */
    public record Copy(String messageId, String originalMessageId, String recipient, MessageFormat format, byte[] document) {
        public Copy {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(document, "document");
        }
    }

    /** A consent the copy travels under, with its expiry (null: none), which the delivery re-check holds it to. */
    public record ConsentUse(String consentId, Instant expiresAt) {
        public ConsentUse {
            Objects.requireNonNull(consentId, "consentId");
        }
    }

    /**
     * A referral the gateway accepted: made SENT, its copy queued, its consent uses recorded: the subject's
     * (consentId may be null) and each kept household member's own, so that withdrawing any of them stops the copy.
     */
    public record Opening(String referralId, String sender, String recipient, String messageId, String consentId,
                          Instant consentExpiresAt, String subjectRef, List<ConsentUse> memberConsents) {
        public Opening {
            memberConsents = memberConsents == null ? List.of() : List.copyOf(memberConsents);
        }
    }

    /** A status update from a party: {@code entry} is its audit entry, completed here with subject, outcome, code. */
    public record Report(String referralId, String from, String to, ReferralStatus next, String reason, String messageId,
                         AuditEvent entry) {
    }

    /** A consent withdrawal (同意の撤回) accepted from {@code by}; {@code entry} is its audit entry. */
    public record Withdrawal(String consentId, Instant withdrawnAt, String messageId, String referralId, String by,
                             AuditEvent entry) {
    }

    private final MessageStore store;
    private final AuditChain audit;
    private final AgencyDirectory agencies;
    private final GatewayStatusNotice notices;
    private final ReferralLifecycle lifecycle;

    public ReferralLedger(MessageStore store, AuditChain audit, AgencyDirectory agencies, GatewayStatusNotice notices,
                          ReferralLifecycle lifecycle) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.agencies = Objects.requireNonNull(agencies, "agencies");
        this.notices = Objects.requireNonNull(notices, "notices");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    }

    // ---------------------------------------------------------------- moves by the parties

    /**
     * A referral accepted by the gateway: SENT, its forwarded copy queued and named as the referral's copy, the consent
     * use recorded. A referral sent again on the same referralId by one of its parties (a repeat with new content, or
     * the hand-back of F7) starts a new leg: SENT again, with the new copy as the referral's copy. An agency outside the
     * referral cannot take its referralId over: 403 {@code lifecycle.not_a_party}, revealing nothing.
     */
    public void open(Connection c, Opening o, Copy copy, Instant at) throws SQLException {
        Optional<ReferralRecord> existing = store.lockReferral(c, o.referralId());
        if (existing.isPresent() && party(o.sender(), existing.get()) == Party.OTHER) {
            throw notAParty();
        }
        Transition transition = lifecycle.apply(null, ReferralStatus.SENT, Party.GATEWAY); // a new leg starts afresh
        if (!transition.changed()) {
            throw new ReferralRefusedException(422, transition.code(), transition.explanation());
        }
        store.upsertReferral(c, new ReferralRecord(o.referralId(), o.sender(), o.recipient(), ReferralStatus.SENT,
                o.consentId(), o.subjectRef(), at, at));
        store.appendReferralEvent(c, new ReferralEvent(o.referralId(), ReferralStatus.SENT, at, o.sender(), null,
                o.messageId()));
        enqueue(c, copy, o.referralId(), at);
        store.recordReferralCopy(c, o.referralId(), copy.messageId());
        Set<String> recorded = new HashSet<>();
        if (o.consentId() != null) {
            recorded.add(o.consentId());
            store.recordConsentUse(c, o.consentId(), o.referralId(), o.messageId(), o.recipient(), at, o.consentExpiresAt());
        }
        for (ConsentUse member : o.memberConsents()) {
            if (recorded.add(member.consentId())) {
                store.recordConsentUse(c, member.consentId(), o.referralId(), o.messageId(), o.recipient(), at,
                        member.expiresAt());
            }
        }
    }

    /**
     * A status update from one party to the other: applied if the lifecycle allows it, forwarded to the other party
     * if it changed the status, audited either way. An agency outside the referral, and any agency asking about a
     * referralId the ledger does not know, get the same 403 {@code lifecycle.not_a_party}: neither learns whether the
     * referral exists.
     *
     * @param forwardTo the signed copy of the update for the other party
     */
    public Transition report(Connection c, Report r, Function<String, Copy> forwardTo, Instant at) throws SQLException {
        ReferralRecord referral = store.lockReferral(c, r.referralId()).orElseThrow(ReferralLedger::notAParty);
        Party party = party(r.from(), referral);
        if (party == Party.OTHER) {
            throw notAParty();
        }
        Transition transition = lifecycle.apply(referral.status(), r.next(), party);
        if (!transition.allowed()) {
            throw new ReferralRefusedException(422, transition.code(), transition.explanation());
        }
        String other = r.from().equals(referral.sender()) ? referral.recipient() : referral.sender();
        if (!r.to().equals(other)) {
            throw new ReferralRefusedException(422, "lifecycle.wrong_recipient",
                    "A status update goes to the other party of the referral.");
        }
        if (transition.changed()) {
            change(c, referral, r.next(), r.from(), r.reason(), r.messageId(), at);
            enqueue(c, forwardTo.apply(other), referral.referralId(), at);
        }
        audit.append(c, r.entry().withSubject(referral.subjectRef())
                .withOutcome((transition.changed() ? "changed." : "unchanged.") + r.next().name()).withCode(transition.code()));
        return transition;
    }

    // ---------------------------------------------------------------- moves by the gateway

    /** A copy reached its recipient: if it is the referral's own copy, the referral is RECEIVED (受信) and its sender told. */
    public void copyDelivered(Connection c, OutboxItem copy, Instant at) throws SQLException {
        Optional<ReferralRecord> referral = ownCopy(c, copy);
        if (referral.isPresent()) {
            moveByGateway(c, referral.get(), ReferralStatus.RECEIVED, null, copy.messageId(), at);
        }
    }

    /**
     * A copy became a dead letter: if it is the referral's own copy, the referral is CANCELLED (取消, reason
     * CONSENT_WITHDRAWN) when the copy was stopped by a consent withdrawal, else FAILED (不達, DELIVERY_FAILED), and
     * its sender told, so that a referral that was not delivered is never silently lost.
     */
    public void copyDeadLettered(Connection c, OutboxItem copy, String code, Instant at) throws SQLException {
        boolean withdrawn = MessageStore.CONSENT_WITHDRAWN.equals(code);
        Optional<ReferralRecord> referral = ownCopy(c, copy);
        if (referral.isPresent()) {
            moveByGateway(c, referral.get(), withdrawn ? ReferralStatus.CANCELLED : ReferralStatus.FAILED,
                    withdrawn ? StatusReason.CONSENT_WITHDRAWN : StatusReason.DELIVERY_FAILED, copy.messageId(), at);
        }
    }

    /**
     * 同意の撤回, in the transaction that accepts it: who may withdraw is checked (the agency that obtained the consent,
     * an agency that received data under it, or the hub (自立相談支援機関); anyone else gets the one answer of a
     * non-party, 403 {@code lifecycle.not_a_party}, and nothing changes); the withdrawal is recorded; every copy under the consent
     * not yet on the wire is stopped, and each referral whose own copy was stopped becomes CANCELLED with its sender
     * told; a copy on the wire is audited as such ({@code on_the_wire}); every other agency that received, or may have
     * received, data under the consent gets the withdrawal, queued behind what it already has.
     *
     * @param noticeTo the signed withdrawal notice for one recipient
     */
    public void withdraw(Connection c, Withdrawal w, Function<String, Copy> noticeTo, Instant at) throws SQLException {
        boolean hub = agencies.agency(w.by()).map(Agency::type).orElse(null) == AgencyType.SELF_RELIANCE_SUPPORT;
        if (!hub && !store.consentHolders(c, w.consentId()).contains(w.by())) {
            throw notAParty();
        }
        store.recordWithdrawal(c, w.consentId(), w.withdrawnAt(), w.messageId());
        MessageStore.Stopping stopping = store.stopUnderConsent(c, w.consentId(), at);
        audit.append(c, w.entry().withBasis(LegalBasis.CONSENT, w.consentId())
                .withOutcome("stopped." + stopping.stopped().size()));
        // a notice for an agency with a copy on the wire goes into that copy's queue, so it arrives after the copy
        java.util.Map<String, String> queueOf = new java.util.HashMap<>();
        for (OutboxItem copy : stopping.onTheWire()) {
            queueOf.put(copy.recipient(), copy.referralId());
            audit.append(c, AuditEvent.of(AuditAction.CONSENT_WITHDRAWN, gatewayId())
                    .withMessage(copy.messageId(), copy.referralId()).withBasis(LegalBasis.CONSENT, w.consentId())
                    .withOutcome("on_the_wire").withCode(MessageStore.CONSENT_WITHDRAWN));
        }
        for (OutboxItem copy : stopping.stopped()) {
            copyDeadLettered(c, copy, MessageStore.CONSENT_WITHDRAWN, at);
        }
        for (String recipient : store.recipientsThatReceivedUnderConsent(c, w.consentId())) {
            if (recipient.equals(w.by())) {
                continue;
            }
            Copy notice = noticeTo.apply(recipient);
            enqueue(c, notice, queueOf.getOrDefault(recipient, w.referralId()), at);
            audit.append(c, AuditEvent.of(AuditAction.WITHDRAWAL_NOTIFIED, gatewayId())
                    .withMessage(notice.messageId(), w.referralId()).withBasis(LegalBasis.CONSENT, w.consentId())
                    .withOutcome("to." + recipient));
        }
    }

    // ---------------------------------------------------------------- notices about a referral (no state change)

    /** The referral, locked until the transaction ends (e.g. to decide on an escalation). */
    public Optional<ReferralRecord> lock(Connection c, String referralId) throws SQLException {
        return store.lockReferral(c, referralId);
    }

    /** The format the referral's sender used: its notices go back in it. */
    public MessageFormat senderFormat(Connection c, ReferralRecord referral) throws SQLException {
        return store.referralFormat(c, referral.referralId(), referral.sender());
    }

    /** Queues a gateway notice for the referral's sender (never moves the referral) and appends its audit entry. */
    public void notifySender(Connection c, ReferralRecord referral, String noticeId, MessageFormat format, byte[] document,
                             AuditEvent entry, Instant at) throws SQLException {
        enqueue(c, new Copy(noticeId, null, referral.sender(), format, document), referral.referralId(), at);
        audit.append(c, entry);
    }

    // ---------------------------------------------------------------- internals

    /** The referral whose own forwarded copy this is (locked), or empty for any other copy: a notice, an update. */
    private Optional<ReferralRecord> ownCopy(Connection c, OutboxItem copy) throws SQLException {
        Optional<ReferralRecord> referral = store.lockReferral(c, copy.referralId());
        if (referral.isEmpty() || !referral.get().recipient().equals(copy.recipient())
                || !store.referralCopy(c, copy.referralId()).map(copy.messageId()::equals).orElse(false)) {
            return Optional.empty();
        }
        return referral;
    }

    /** A move the gateway makes (RECEIVED, FAILED, CANCELLED) if the lifecycle allows it; the sender is told. */
    private void moveByGateway(Connection c, ReferralRecord referral, ReferralStatus to, StatusReason reason,
                               String copyMessageId, Instant at) throws SQLException {
        if (!lifecycle.apply(referral.status(), to, Party.GATEWAY).changed()) {
            return; // e.g. a delivery confirmed after the recipient already answered
        }
        change(c, referral, to, gatewayId(), reason == null ? null : reason.name(), copyMessageId, at);
        audit.append(c, AuditEvent.of(AuditAction.STATUS_CHANGED, gatewayId()).withMessage(copyMessageId, referral.referralId())
                .withSubject(referral.subjectRef()).withOutcome("changed." + to.name()));
        if (agencies.agency(referral.sender()).map(a -> a.accepts().contains(MessageType.STATUS_UPDATE)).orElse(false)) {
            String noticeId = UUID.randomUUID().toString();
            MessageFormat format = senderFormat(c, referral);
            byte[] notice = notices.document(noticeId, referral, to, reason, at, note(referral, to), at, format);
            notifySender(c, referral, noticeId, format, notice, AuditEvent.of(AuditAction.FORWARD_SCHEDULED, gatewayId())
                    .withMessage(noticeId, referral.referralId()).withSubject(referral.subjectRef())
                    .withOutcome("to." + referral.sender()).withCode("notice." + to.name().toLowerCase(Locale.ROOT)), at);
        }
    }

    private void change(Connection c, ReferralRecord referral, ReferralStatus to, String by, String reason, String messageId,
                        Instant at) throws SQLException {
        store.upsertReferral(c, new ReferralRecord(referral.referralId(), referral.sender(), referral.recipient(), to,
                referral.consentId(), referral.subjectRef(), referral.createdAt(), at));
        store.appendReferralEvent(c, new ReferralEvent(referral.referralId(), to, at, by, reason, messageId));
    }

    private void enqueue(Connection c, Copy copy, String referralId, Instant at) throws SQLException {
        store.enqueue(c, OutboxItem.pending(copy.messageId(), copy.originalMessageId(), copy.recipient(), referralId,
                copy.format().mediaType(), copy.document(), at));
    }

    private Party party(String agencyId, ReferralRecord referral) {
        return Party.of(agencyId, referral.sender(), referral.recipient(), gatewayId());
    }

    private String gatewayId() {
        return agencies.gateway().id();
    }

    private static ReferralRefusedException notAParty() {
        return new ReferralRefusedException(403, PolicyCodes.LIFECYCLE_NOT_A_PARTY, "Only a party may send this: the sender"
                + " or the recipient of the referral; for a consent withdrawal, an agency that obtained the consent or received"
                + " data under it, or the hub (自立相談支援機関).");
    }

    /** What the sender's staff read: ids and agencies only, in Japanese and English. */
    static String note(ReferralRecord referral, ReferralStatus status) {
        return switch (status) {
            case RECEIVED -> "[delivery.received] 紹介 " + referral.referralId() + " は " + referral.recipient()
                    + " のシステムに届きました。 (Delivered to the system of " + referral.recipient() + ".)";
            case CANCELLED -> "[consent.withdrawn] 紹介 " + referral.referralId() + " は本人の同意撤回により取り消され、"
                    + referral.recipient() + " には届けていません。 (Cancelled: the person withdrew the consent before it"
                    + " was delivered to the system of " + referral.recipient() + "; nothing was sent.)";
            default -> "[delivery.failed] 紹介 " + referral.referralId() + " を " + referral.recipient()
                    + " のシステムに届けられませんでした (配信断念)。ゲートウェイの管理者が原因を確かめて再送します。"
                    + "急ぐ場合は送付先に別の手段で連絡してください。 (Could not be delivered to the system of "
                    + referral.recipient() + "; the gateway's administrators see it among the dead letters.)";
        };
    }
}
