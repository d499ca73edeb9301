package jp.tsunagi.gateway.escalation;

import jp.tsunagi.schema.JapanTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.referral.ReferralLedger;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.gateway.store.Transactions;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.model.ReferralStatus;
import jp.tsunagi.schema.signature.SigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 督促: finds referrals the recipient has neither accepted nor declined within N municipal business days
 * ({@link EscalationSettings}) and escalates each one to its sender, once.
 *
 * <p>A referral is overdue when it is still SENT or RECEIVED once the Nth business day ({@link MunicipalCalendar},
 * days in Japan) after the day the gateway accepted it has ended. The day of acceptance is not counted: accepted on
 * a Friday, with N = 5 and an ordinary week, it is overdue from the Saturday of the following week at 00:00 JST.
 * Referrals in any other status (answered, cancelled, failed) and those whose consent was withdrawn are left alone.
 *
 * <p>Each escalation is one transaction: the referral row is locked (as the intake locks it for a status update, so a
 * concurrent ACCEPTED is either seen here or comes after), a {@code referral_escalation} row is inserted (its primary
 * key makes it once per referral, across restarts and gateway processes), the gateway-signed notice
 * ({@link OverdueNotice}) is queued for the sender by the {@link ReferralLedger} (a notice: the referral's status does
 * not change), and the audit entry
 * {@link AuditAction#OVERDUE_ESCALATED} is appended. Nothing of the person is logged or audited beyond the keyed
 * pseudonym the referral already has.
 */
public final class EscalationScanner {
    private static final Logger LOG = LoggerFactory.getLogger(EscalationScanner.class);
    /** Not yet accepted or declined. */
    static final Set<ReferralStatus> WAITING = EnumSet.of(ReferralStatus.SENT, ReferralStatus.RECEIVED);
    /** The audit entry's code. */
    public static final String AUDIT_CODE = "referral.overdue";
    private static final int PAGE = 200;
    private static final String CANDIDATES = "SELECT r.referral_id, r.created_at FROM referral r"
            + " WHERE r.status IN ('SENT', 'RECEIVED') AND r.created_at < ?"
            + " AND NOT EXISTS (SELECT 1 FROM referral_escalation e WHERE e.referral_id = r.referral_id)"
            + " AND (r.created_at > ? OR (r.created_at = ? AND r.referral_id > ?))"
            + " ORDER BY r.created_at, r.referral_id LIMIT " + PAGE;

    /** One referral escalated by a scan. */
    public record Escalation(String referralId, String sender, String noticeMessageId, ReferralStatus status,
                             LocalDate dueDate) {
    }

    private final DataSource dataSource;
    private final MessageStore store;
    private final ReferralLedger ledger;
    private final OverdueNotice notices;
    private final String gatewayId;
    private final EscalationSettings settings;
    private final MunicipalCalendar calendar;
    private final Clock clock;
    private final Runnable deliveryWakeUp;

    /**
     * @param gatewayKey     the gateway's signing key (the notice is signed with it)
     * @param gatewayId      the gateway's agency id, the notice's sender
     * @param deliveryWakeUp called after a scan queued notices (the delivery workers' wake-up), may be null
     */
    public EscalationScanner(DataSource dataSource, MessageStore store, ReferralLedger ledger, SigningKey gatewayKey,
                             String gatewayId, EscalationSettings settings, Clock clock, Runnable deliveryWakeUp) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.store = Objects.requireNonNull(store, "store");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
        this.notices = new OverdueNotice(gatewayKey, gatewayId);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.calendar = settings.calendar();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deliveryWakeUp = deliveryWakeUp == null ? () -> { } : deliveryWakeUp;
    }

    /**
     * Runs {@link #scanOnce} on the scheduler every {@code checkInterval} of the settings (the first time after a
     * minute at most); a failed scan is logged (without personal data) and retried at the next one.
     */
    public static ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, EscalationScanner scanner) {
        long every = scanner.settings.checkInterval().toMillis();
        return scheduler.scheduleWithFixedDelay(scanner::scanLogged, Math.min(every, 60_000L), every, TimeUnit.MILLISECONDS);
    }

    /** The last business day the recipient has for a referral the gateway accepted at that instant. */
    public LocalDate dueDate(Instant acceptedAt) {
        return calendar.plusBusinessDays(acceptedOn(acceptedAt), settings.businessDays());
    }

    /** From when a referral accepted at that instant is overdue: the start (JST) of the day after its due date. */
    public Instant overdueFrom(Instant acceptedAt) {
        return dueDate(acceptedAt).plusDays(1).atStartOfDay(JapanTime.ZONE).toInstant();
    }

    /**
     * Escalates every referral overdue now that was not escalated before, each in its own transaction, oldest first.
     *
     * @return what it escalated (empty when nothing was due)
     * @throws SQLException when the database cannot be read; referrals escalated before the failure stay escalated
     */
    public List<Escalation> scanOnce() throws SQLException {
        Instant now = clock.instant();
        List<Escalation> escalated = new ArrayList<>();
        // N business days are at least N calendar days: older than that is a cheap first filter
        Instant acceptedBefore = now.minus(Duration.ofDays(settings.businessDays()));
        Instant afterAt = Instant.EPOCH;
        String afterId = "";
        boolean more = true;
        while (more) {
            List<Candidate> page = candidates(acceptedBefore, afterAt, afterId);
            more = page.size() == PAGE;
            for (Candidate candidate : page) {
                afterAt = candidate.acceptedAt();
                afterId = candidate.referralId();
                try {
                    if (now.isBefore(overdueFrom(candidate.acceptedAt()))) {
                        // later acceptances are due later still
                        more = false;
                        break;
                    }
                    escalate(candidate.referralId(), now).ifPresent(escalated::add);
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("escalation: referral {} not escalated ({}), retried at the next scan", candidate.referralId(),
                            e.getClass().getSimpleName());
                }
            }
        }
        if (!escalated.isEmpty()) {
            LOG.info("escalation: {} overdue referral(s) escalated to their senders", escalated.size());
            deliveryWakeUp.run();
        }
        return escalated;
    }

    private void scanLogged() {
        try {
            scanOnce();
        } catch (Exception e) {
            // never let an exception escape: the scheduler would stop running the scan
            LOG.warn("escalation: scan failed ({}), retried in {}", e.getClass().getSimpleName(), settings.checkInterval());
        }
    }

    private record Candidate(String referralId, Instant acceptedAt) {
    }

    private List<Candidate> candidates(Instant acceptedBefore, Instant afterAt, String afterId) throws SQLException {
        return Transactions.inTransaction(dataSource, c -> {
            try (PreparedStatement s = c.prepareStatement(CANDIDATES)) {
                setTime(s, 1, acceptedBefore);
                setTime(s, 2, afterAt);
                setTime(s, 3, afterAt);
                s.setString(4, afterId);
                List<Candidate> page = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        page.add(new Candidate(r.getString("referral_id"),
                                r.getObject("created_at", OffsetDateTime.class).toInstant()));
                    }
                }
                return page;
            }
        });
    }

    /** One referral, in one transaction: locked, checked again, claimed, notice queued, audited. */
    private Optional<Escalation> escalate(String referralId, Instant now) throws SQLException {
        return Transactions.inTransaction(dataSource, c -> {
            ReferralRecord referral = ledger.lock(c, referralId).orElse(null);
            if (referral == null || !WAITING.contains(referral.status())
                    || now.isBefore(overdueFrom(referral.createdAt()))
                    || referral.consentId() != null && store.withdrawnAt(c, referral.consentId()).isPresent()) {
                return Optional.<Escalation>empty();
            }
            LocalDate due = dueDate(referral.createdAt());
            String noticeId = UUID.randomUUID().toString();
            if (!claim(c, referral, now, due, noticeId)) {
                return Optional.<Escalation>empty(); // escalated already, by another scan or gateway process
            }
            MessageFormat format = ledger.senderFormat(c, referral);
            byte[] notice = notices.document(noticeId, referral, acceptedOn(referral.createdAt()), due,
                    settings.businessDays(), now, format);
            ledger.notifySender(c, referral, noticeId, format, notice, AuditEvent.of(AuditAction.OVERDUE_ESCALATED, gatewayId)
                    .withMessage(noticeId, referralId)
                    .withSubject(referral.subjectRef())
                    .withOutcome(outcome(referral.sender()))
                    .withCode(AUDIT_CODE), now);
            return Optional.of(new Escalation(referralId, referral.sender(), noticeId, referral.status(), due));
        });
    }

    /** The once-only claim: false when the referral has its escalation row already. */
    private boolean claim(Connection c, ReferralRecord referral, Instant now, LocalDate due, String noticeId)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO referral_escalation (referral_id, escalated_at,"
                + " referral_status, due_date, business_days, notice_message_id) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            s.setString(1, referral.referralId());
            setTime(s, 2, now);
            s.setString(3, referral.status().name());
            s.setObject(4, due);
            s.setInt(5, settings.businessDays());
            s.setString(6, noticeId);
            return s.executeUpdate() == 1;
        }
    }

    /** {@code to.<sender>}, as other notices are audited; an agency id too long for the field is not repeated. */
    private static String outcome(String sender) {
        String outcome = "to." + sender;
        return outcome.length() <= 64 ? outcome : "to.referral-sender";
    }

    private static LocalDate acceptedOn(Instant acceptedAt) {
        return LocalDate.ofInstant(acceptedAt, JapanTime.ZONE);
    }

    private static void setTime(PreparedStatement s, int index, Instant instant) throws SQLException {
        s.setObject(index, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
    }
}
