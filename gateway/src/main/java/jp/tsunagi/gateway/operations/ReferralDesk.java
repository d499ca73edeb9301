package jp.tsunagi.gateway.operations;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.store.CopyState;
import jp.tsunagi.gateway.store.ReferralEvent;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.gateway.store.ReferralView;
import jp.tsunagi.schema.model.ReferralStatus;

/**
 * Referrals (紹介) for the people who run the gateway, the console's and the command line's one source: the list by
 * state, sender, recipient and age, and one referral's timeline: its business states beside each copy's delivery and
 * each notice sent. What it shows holds no personal data: agencies, ids, states, codes and times. The person (their
 * keyed pseudonym and the consent) is shown only when a purpose (利用目的) is stated, and every timeline view is an
 * audit entry, with the purpose when there is one, written before it is shown.
 */
public final class ReferralDesk {
    /** A referral in a list: who sent it to whom, where it stands, since when; nothing of the person. */
    public record Summary(String referralId, String sender, String recipient, ReferralStatus status,
                          java.time.Instant createdAt, java.time.Instant updatedAt) {
        static Summary of(ReferralRecord r) {
            return new Summary(r.referralId(), r.sender(), r.recipient(), r.status(), r.createdAt(), r.updatedAt());
        }
    }

    /** Whom the referral concerns, shown only with a stated purpose: the keyed pseudonym and the consent id. */
    public record Person(String subjectRef, String consentId) {
    }

    /**
     * One referral's timeline.
     *
     * @param copies  the outbox rows for the referral's recipient (its own copy first among them), with their delivery
     * @param notices the outbox rows for its sender: the gateway's notices (受信, 不達, 督促, ...) and forwarded updates
     * @param person  null unless a purpose was stated
     */
    public record Timeline(Summary referral, List<ReferralEvent> states, List<CopyState> copies, List<CopyState> notices,
                           Person person) {
    }

    /** Referrals to list; each null for any. {@code olderThan}: created at least this long ago. */
    public record Filter(ReferralStatus status, String sender, String recipient, Duration olderThan) {
        public static final Filter ALL = new Filter(null, null, null, null);
    }

    private final DataSource dataSource;
    private final AuditChain audit;
    private final Clock clock;

    public ReferralDesk(DataSource dataSource, AuditChain audit, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Up to {@code limit} referrals matching the filter, the most recently changed first. */
    public List<Summary> list(Filter filter, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ReferralView.referrals(c, new ReferralView.Filter(filter.status(), filter.sender(), filter.recipient(),
                    filter.olderThan() == null ? null : clock.instant().minus(filter.olderThan())), limit)
                    .stream().map(Summary::of).toList();
        }
    }

    /**
     * One referral's timeline, audited ({@link AuditAction#REFERRAL_VIEWED}) before it is returned; empty (and not
     * audited) for an unknown id.
     *
     * @param viewer  who looks: a console account or the command line's actor
     * @param purpose the stated purpose (利用目的) under which the person is shown, or null for no person
     */
    public Optional<Timeline> timeline(String referralId, String viewer, String purpose) throws SQLException {
        Optional<ReferralRecord> found;
        List<ReferralEvent> states;
        List<CopyState> rows;
        try (Connection c = dataSource.getConnection()) {
            found = ReferralView.referral(c, referralId);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            states = ReferralView.history(c, referralId);
            rows = ReferralView.copies(c, referralId);
        }
        ReferralRecord r = found.get();
        AuditEvent view = AuditEvent.of(AuditAction.REFERRAL_VIEWED, viewer).withMessage(null, referralId).withOutcome("viewed");
        Person person = null;
        if (purpose != null) {
            person = new Person(r.subjectRef(), r.consentId());
            view = new AuditEvent(viewer, AuditAction.REFERRAL_VIEWED, null, referralId, r.subjectRef(), Set.of(),
                    "PURPOSE:" + purpose, "viewed.subject", null);
        }
        audit.appendCommitted(dataSource, view);
        List<CopyState> copies = rows.stream().filter(row -> !row.recipient().equals(r.sender()))
                .sorted((a, b) -> Boolean.compare(b.referralCopy(), a.referralCopy())).toList();
        List<CopyState> notices = rows.stream().filter(row -> row.recipient().equals(r.sender())).toList();
        return Optional.of(new Timeline(Summary.of(r), states, copies, notices, person));
    }

    /** Up to {@code limit} copies in the state (null: all) with an id above {@code afterId}, by id. */
    public List<CopyState> copies(ReferralView.CopyFilter filter, long afterId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return ReferralView.copies(c, filter, afterId, limit);
        }
    }
}
