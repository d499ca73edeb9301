package jp.tsunagi.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.CheckpointPolicy;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.policy.ReferralLifecycle;
import jp.tsunagi.gateway.referral.GatewayStatusNotice;
import jp.tsunagi.gateway.referral.ReferralLedger;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.store.OutboxItem;
import jp.tsunagi.gateway.store.OutboxQueue;
import jp.tsunagi.gateway.store.PayloadCipher;
import jp.tsunagi.gateway.store.ReferralEvent;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.gateway.store.StoredMessage;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.gateway.store.Transactions;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.ReferralStatus;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The escalation scan on H2 and PostgreSQL, with referrals written straight into the store and a fixed clock. */
class EscalationScannerTest {
    private static final KeyPair GATEWAY = KeyMaterial.generateP256();
    private static final SigningKey GATEWAY_KEY = new SigningKey("gateway#1", GATEWAY.getPrivate());
    private static final KeyResolver GATEWAY_KEYS = KeyResolver.of(Map.of("gateway#1", GATEWAY.getPublic()));
    private static final String SUBJECT = "5f".repeat(32);
    /** A fictitious person's name: stored encrypted in the referral message, never in a notice or the trail. */
    private static final String CANARY = "鳥羽カナリア";

    private final TestClock clock = TestClock.at("2025-11-21T15:00:00+09:00");
    private final PayloadCipher cipher = cipher();

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void a_referral_accepted_on_a_friday_before_a_holiday_weekend_is_escalated_once_after_its_fifth_business_day(
            TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            // Friday 2025-11-21; closed Sat 22, Sun 23 (勤労感謝の日) and Mon 24 (振替休日); open 25, 26, 27, 28, 12/1
            referral(db, "REF-2025-000901", ReferralStatus.SENT, "CNS-1", MessageFormat.JSON);
            deliveredOn(db, "REF-2025-000901", "2025-11-21T15:00:05+09:00");
            EscalationScanner scanner = scanner(db.dataSource());
            assertThat(scanner.dueDate(clock.instant())).isEqualTo(LocalDate.of(2025, 12, 1));

            // five weekdays later, but only the third business day
            clock.set("2025-11-29T09:00:00+09:00");
            assertThat(scanner.scanOnce()).isEmpty();
            clock.set("2025-12-01T23:59:59+09:00");
            assertThat(scanner.scanOnce()).isEmpty();
            assertThat(count(db, "SELECT COUNT(*) FROM outbox")).isZero();

            clock.set("2025-12-02T00:00:00+09:00");
            List<EscalationScanner.Escalation> escalated = scanner.scanOnce();
            assertThat(escalated).singleElement().satisfies(e -> {
                assertThat(e.referralId()).isEqualTo("REF-2025-000901");
                assertThat(e.sender()).isEqualTo("tsunagi-welfare");
                assertThat(e.status()).isEqualTo(ReferralStatus.RECEIVED);
                assertThat(e.dueDate()).isEqualTo(LocalDate.of(2025, 12, 1));
            });
            String noticeId = escalated.get(0).noticeMessageId();

            // never twice: the next scan, and a scanner of a restarted gateway, find nothing more
            clock.set("2025-12-03T10:00:00+09:00");
            assertThat(scanner.scanOnce()).isEmpty();
            assertThat(scanner(db.dataSource()).scanOnce()).isEmpty();

            OutboxItem notice = outbox(db).stream().filter(o -> o.messageId().equals(noticeId)).findFirst().orElseThrow();
            assertThat(notice.recipient()).isEqualTo("tsunagi-welfare");
            assertThat(notice.referralId()).isEqualTo("REF-2025-000901");
            assertThat(notice.originalMessageId()).isNull();
            assertThat(notice.mediaType()).isEqualTo("application/json");
            Message message = gatewaySignedAndValid(notice.payload());
            assertThat(message.getMessageId()).isEqualTo(noticeId);
            assertThat(message.getMessageType()).isEqualTo(MessageType.STATUS_UPDATE);
            assertThat(message.getSender()).isEqualTo("gateway");
            assertThat(message.getRecipient()).isEqualTo("tsunagi-welfare");
            assertThat(message.getReferralId()).isEqualTo("REF-2025-000901");
            assertThat(message.getProvenance()).isNull();
            assertThat(message.getStatusUpdate().getStatus()).isEqualTo(ReferralStatus.RECEIVED);
            assertThat(message.getStatusUpdate().getReason()).isNull();
            assertThat(message.getStatusUpdate().getEffectiveAt().toInstant())
                    .isEqualTo(OffsetDateTime.parse("2025-11-21T15:00:05+09:00").toInstant());
            assertThat(message.getStatusUpdate().getNote()).startsWith("[escalation.overdue]")
                    .contains("REF-2025-000901", "2025-11-21", "5 開庁日", "2025-12-01", "tsunagi-hub");
            assertThat(new String(notice.payload(), StandardCharsets.UTF_8)).doesNotContain(CANARY);

            // the referral itself does not change; the escalation is recorded once
            try (Connection c = db.dataSource().getConnection()) {
                assertThat(new MessageStore(cipher).findReferral(c, "REF-2025-000901").orElseThrow().status())
                        .isEqualTo(ReferralStatus.RECEIVED);
            }
            assertThat(count(db, "SELECT COUNT(*) FROM referral_escalation WHERE referral_id = 'REF-2025-000901'"
                    + " AND notice_message_id = '" + noticeId + "' AND due_date = DATE '2025-12-01'"
                    + " AND referral_status = 'RECEIVED' AND business_days = 5")).isEqualTo(1);

            assertThat(auditRows(db, AuditAction.OVERDUE_ESCALATED)).containsExactly(
                    "gateway|" + noticeId + "|REF-2025-000901|" + SUBJECT + "|to.tsunagi-welfare|referral.overdue");
            assertThat(new AuditVerifier(GATEWAY_KEYS).verify(db.dataSource()).intact()).isTrue();
            assertThat(allAuditText(db)).doesNotContain(CANARY);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void answered_closed_and_withdrawn_referrals_are_never_escalated(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            int i = 0;
            for (ReferralStatus status : List.of(ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.IN_PROGRESS,
                    ReferralStatus.ON_HOLD, ReferralStatus.COMPLETED, ReferralStatus.CANCELLED, ReferralStatus.FAILED)) {
                referral(db, "REF-2026-9100" + i++, status, null, MessageFormat.JSON);
            }
            referral(db, "REF-2026-9200", ReferralStatus.SENT, "CNS-2026-9200", MessageFormat.JSON);
            Transactions.inTransaction(db.dataSource(), c -> new MessageStore(cipher, clock)
                    .recordWithdrawal(c, "CNS-2026-9200", clock.instant(), "m-withdrawal"));
            // accepted after the deadline had passed, but before any scan ran
            referral(db, "REF-2026-9300", ReferralStatus.SENT, null, MessageFormat.JSON);
            clock.set("2026-02-02T10:00:00+09:00");
            setStatus(db, "REF-2026-9300", ReferralStatus.ACCEPTED);

            assertThat(scanner(db.dataSource()).scanOnce()).isEmpty();

            assertThat(count(db, "SELECT COUNT(*) FROM outbox")).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM referral_escalation")).isZero();
            assertThat(auditRows(db, AuditAction.OVERDUE_ESCALATED)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void a_referral_sent_in_xml_is_escalated_with_an_xml_notice_signed_by_the_gateway(TestDatabases.Kind kind)
            throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            referral(db, "REF-2026-9400", ReferralStatus.SENT, null, MessageFormat.XML);
            clock.set("2025-12-02T08:30:00+09:00");

            assertThat(scanner(db.dataSource()).scanOnce()).hasSize(1);

            OutboxItem notice = outbox(db).get(0);
            assertThat(notice.mediaType()).isEqualTo("application/xml");
            Message message = gatewaySignedAndValid(notice.payload());
            assertThat(message.getStatusUpdate().getStatus()).isEqualTo(ReferralStatus.SENT);
            assertThat(new AuditVerifier(GATEWAY_KEYS).verify(db.dataSource()).intact()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void two_gateway_processes_scanning_at_the_same_time_escalate_each_referral_once(TestDatabases.Kind kind)
            throws Exception {
        String url = TestDatabases.freshUrl(kind);
        String user = kind == TestDatabases.Kind.POSTGRESQL ? "postgres" : null;
        try (Database one = Database.open(url, user, user); Database two = Database.open(url, user, user)) {
            int referrals = 30;
            for (int i = 0; i < referrals; i++) {
                referral(one, "REF-2026-95" + i, ReferralStatus.SENT, null, MessageFormat.JSON);
            }
            clock.set("2025-12-05T09:00:00+09:00");
            EscalationScanner first = scanner(one.dataSource());
            EscalationScanner second = scanner(two.dataSource());
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<EscalationScanner.Escalation>>> scans = new ArrayList<>();
                for (EscalationScanner scanner : List.of(first, second)) {
                    scans.add(threads.submit((Callable<List<EscalationScanner.Escalation>>) () -> {
                        start.await();
                        return scanner.scanOnce();
                    }));
                }
                start.countDown();
                int escalated = 0;
                for (Future<List<EscalationScanner.Escalation>> scan : scans) {
                    escalated += scan.get().size();
                }
                // a referral one process skipped while the other held its lock is done by the other; a last scan
                // (as the next interval would) picks up anything both skipped
                escalated += first.scanOnce().size();
                assertThat(escalated).isEqualTo(referrals);
            } finally {
                threads.shutdownNow();
            }
            assertThat(count(one, "SELECT COUNT(*) FROM outbox")).isEqualTo(referrals);
            assertThat(count(one, "SELECT COUNT(DISTINCT referral_id) FROM outbox")).isEqualTo(referrals);
            assertThat(auditRows(one, AuditAction.OVERDUE_ESCALATED)).hasSize(referrals);
            assertThat(new AuditVerifier(GATEWAY_KEYS).verify(one.dataSource()).intact()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void the_scheduled_scan_runs_by_itself_and_goes_on_after_a_failed_scan(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind)) {
            referral(db, "REF-2026-9600", ReferralStatus.SENT, null, MessageFormat.JSON);
            clock.set("2025-12-02T08:30:00+09:00");
            AtomicInteger failuresLeft = new AtomicInteger(1);
            DataSource flaky = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getConnection") && failuresLeft.getAndDecrement() > 0) {
                            throw new SQLException("database unreachable");
                        }
                        try {
                            return method.invoke(db.dataSource(), args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            EscalationScanner scanner = new EscalationScanner(flaky, new MessageStore(cipher, clock), ledger(), GATEWAY_KEY, "gateway",
                    new EscalationSettings(5, Duration.ofSeconds(1), Set.of()), clock, null);
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
            try {
                ScheduledFuture<?> scan = EscalationScanner.schedule(scheduler, scanner);
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (count(db, "SELECT COUNT(*) FROM referral_escalation") == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(failuresLeft.get()).isNegative();
                assertThat(scan.isDone()).isFalse();
            } finally {
                scheduler.shutdownNow();
            }
            assertThat(count(db, "SELECT COUNT(*) FROM referral_escalation")).isEqualTo(1);
            assertThat(auditRows(db, AuditAction.OVERDUE_ESCALATED)).hasSize(1);
        }
    }

    // ---------------------------------------------------------------- helpers

    private EscalationScanner scanner(DataSource dataSource) {
        return new EscalationScanner(dataSource, new MessageStore(cipher, clock), ledger(), GATEWAY_KEY, "gateway",
                EscalationSettings.defaults(), clock, null);
    }

    /** The ledger as the gateway wires it, on the shipped agencies. */
    private ReferralLedger ledger() {
        return new ReferralLedger(new MessageStore(cipher, clock), new AuditChain(GATEWAY_KEY, CheckpointPolicy.DEFAULT, clock),
                AgencyDirectory.inConfDirectory(Path.of("../conf")), new GatewayStatusNotice(GATEWAY_KEY, "gateway"),
                new ReferralLifecycle());
    }

    /** A referral from the welfare office to the hub, accepted by the gateway now, with its stored message. */
    private void referral(Database db, String referralId, ReferralStatus status, String consentId, MessageFormat format)
            throws SQLException {
        MessageStore store = new MessageStore(cipher, clock);
        Instant now = clock.instant();
        Transactions.inTransaction(db.dataSource(), c -> {
            byte[] payload = ("{\"referralId\":\"" + referralId + "\",\"name\":\"" + CANARY + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            store.saveMessage(c, StoredMessage.accepted(java.util.UUID.randomUUID().toString(), MessageType.REFERRAL,
                    "tsunagi-welfare", "tsunagi-hub", referralId, now, "0".repeat(64), format, payload, null));
            store.upsertReferral(c, new ReferralRecord(referralId, "tsunagi-welfare", "tsunagi-hub", status, consentId,
                    SUBJECT, now, now));
            store.appendReferralEvent(c, new ReferralEvent(referralId, status, now, "gateway", null, null));
            return null;
        });
    }

    private void deliveredOn(Database db, String referralId, String at) throws SQLException {
        setStatus(db, referralId, ReferralStatus.RECEIVED, OffsetDateTime.parse(at).toInstant());
    }

    private void setStatus(Database db, String referralId, ReferralStatus status) throws SQLException {
        setStatus(db, referralId, status, clock.instant());
    }

    private void setStatus(Database db, String referralId, ReferralStatus status, Instant at) throws SQLException {
        MessageStore store = new MessageStore(cipher, clock);
        Transactions.inTransaction(db.dataSource(), c -> {
            ReferralRecord referral = store.lockReferral(c, referralId).orElseThrow();
            store.upsertReferral(c, referral.withStatus(status, at));
            return null;
        });
    }

    private List<OutboxItem> outbox(Database db) throws SQLException {
        return Transactions.inTransaction(db.dataSource(), c -> new OutboxQueue(cipher)
                .claim(c, "test", clock.instant(), Duration.ofMinutes(5), 100).leased());
    }

    private Message gatewaySignedAndValid(byte[] document) {
        assertThat(MessageSignatures.verify(document, GATEWAY_KEYS).agencyId()).isEqualTo("gateway");
        return new MessageReader(MessageReader.DEFAULT_MAX_BYTES, clock).read(document);
    }

    private static List<String> auditRows(Database db, AuditAction action) throws SQLException {
        chainCommitted(db);
        try (Connection c = db.dataSource().getConnection(); var s = c.prepareStatement("SELECT actor, message_id,"
                + " referral_id, subject_ref, outcome, code FROM audit_entry WHERE action = ? ORDER BY seq")) {
            s.setString(1, action.name());
            List<String> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(String.join("|", r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6)));
                }
            }
            return rows;
        }
    }

    /** What the gateway's sequencer does within its delay: the committed audit entries linked into the chain. */
    private static void chainCommitted(Database db) throws SQLException {
        new AuditChain(GATEWAY_KEY, CheckpointPolicy.DEFAULT, java.time.Clock.systemUTC()).chainCommitted(db.dataSource());
    }

    private static String allAuditText(Database db) throws SQLException {
        chainCommitted(db);
        StringBuilder text = new StringBuilder();
        for (String table : Set.of("audit_entry", "referral_escalation")) {
            try (Connection c = db.dataSource().getConnection();
                 ResultSet r = c.createStatement().executeQuery("SELECT * FROM " + table)) {
                int columns = r.getMetaData().getColumnCount();
                while (r.next()) {
                    for (int i = 1; i <= columns; i++) {
                        text.append(r.getString(i)).append('|');
                    }
                }
            }
        }
        return text.toString();
    }

    private static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static PayloadCipher cipher() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return PayloadCipher.withKey(key);
    }
}
