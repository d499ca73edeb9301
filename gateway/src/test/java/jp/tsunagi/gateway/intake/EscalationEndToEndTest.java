package jp.tsunagi.gateway.intake;

import jp.tsunagi.gateway.policy.Minimizer;
import jp.tsunagi.gateway.policy.ConsentEngine;
import jp.tsunagi.gateway.app.DeliveryAudit;
import jp.tsunagi.gateway.app.Gateway;
import jp.tsunagi.gateway.app.GatewayMetrics;
import jp.tsunagi.gateway.app.GatewaySettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.CheckpointPolicy;
import jp.tsunagi.gateway.audit.ProvisionRecords;
import jp.tsunagi.gateway.audit.SubjectPseudonyms;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.delivery.DeliveryWorker;
import jp.tsunagi.gateway.delivery.HttpTransport;
import jp.tsunagi.gateway.escalation.EscalationScanner;
import jp.tsunagi.gateway.escalation.TestClock;
import jp.tsunagi.gateway.policy.PolicyConfig;
import jp.tsunagi.gateway.policy.ReferralLifecycle;
import jp.tsunagi.gateway.referral.GatewayStatusNotice;
import jp.tsunagi.gateway.referral.ReferralLedger;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.store.OutboxQueue;
import jp.tsunagi.gateway.store.PayloadCipher;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.ReferralStatus;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 督促 through the real intake, delivery workers and audit chain, wired as Gateway.start wires them, on a clock the
 * test sets: referrals accepted on the Friday before the 2026 silver week (Sat 9/19 to Wed 9/23 closed).
 */
class EscalationEndToEndTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void an_unanswered_referral_is_escalated_to_its_sender_after_five_business_days_and_an_accepted_one_never(
            TestDatabases.Kind kind) throws Exception {
        TestClock clock = TestClock.at("2026-09-18T15:00:00+09:00");
        Path keys = dir.resolve("keys");
        try (RecipientSimulator recipients = new RecipientSimulator(); Database database = TestDatabases.fresh(kind)) {
            Path conf = GatewayFixture.writeConf(dir, keys, recipients, "jdbc:unused", false);
            GatewayFixture.AGENCIES.forEach(id -> KeyMaterial.writeFiles(keys, id, id));
            AgencyDirectory agencies = AgencyDirectory.inConfDirectory(conf);
            GatewaySettings settings = GatewaySettings.load(conf);
            TestMessages messages = new TestMessages(keys);
            SigningKey gatewayKey = new SigningKey(agencies.signingKid("gateway"),
                    Pem.readPrivateKey(KeyMaterial.privateKeyFile(keys, "gateway")));
            PayloadCipher cipher = PayloadCipher.fromKeyDirectory(keys);
            MessageStore store = new MessageStore(cipher, clock);
            AuditChain audit = new AuditChain(gatewayKey, CheckpointPolicy.DEFAULT, clock);
            ReferralLedger ledger = new ReferralLedger(store, audit, agencies,
                    new GatewayStatusNotice(gatewayKey, agencies.gateway().id()), new ReferralLifecycle());
            DeliveryWorker workers = new DeliveryWorker(database.dataSource(), new OutboxQueue(cipher),
                    HttpTransport.create(agencies, settings.delivery()), new DeliveryAudit(audit, new GatewayMetrics(), ledger,
                            "gateway"), settings.delivery(), clock);
            IntakeService.Records records = new IntakeService.Records(database.dataSource(), store, audit,
                    new ProvisionRecords(clock), SubjectPseudonyms.inKeyDirectory(keys));
            PolicyConfig policy = PolicyConfig.inConfDirectory(conf);
            IntakeService intake = new IntakeService(new IntakeService.Lawfulness(agencies, policy,
                    new ConsentEngine(policy, records.withdrawals()), new Minimizer()), records, ledger,
                    new GatewayMessages(gatewayKey, "gateway"), settings.intake(), clock, workers::wakeUp);
            // as Gateway.start wires it (settings.escalation(): the defaults, 5 business days)
            EscalationScanner scanner = new EscalationScanner(database.dataSource(), store, ledger, gatewayKey, "gateway",
                    settings.escalation(), clock, workers::wakeUp);
            workers.start();
            try {
                // Friday 9/18: F2 welfare -> hub (XML) and F1 tax desk -> hub (JSON), both delivered (RECEIVED)
                assertThat(submit(intake, messages, clock, "F2-", MessageFormat.XML).status()).isEqualTo(202);
                assertThat(submit(intake, messages, clock, "F1-", MessageFormat.JSON).status()).isEqualTo(202);
                awaitCopies(recipients, "tsunagi-hub", 2);
                awaitReceived(database, 2); // the deliveries recorded: the senders are told 受信 before anyone answers

                // Thursday 9/24, the first business day after: the hub accepts the tax desk's referral (F9)
                clock.set("2026-09-24T10:00:00+09:00");
                assertThat(submit(intake, messages, clock, "F9-hub", MessageFormat.JSON).status()).isEqualTo(202);
                awaitCopies(recipients, "tsunagi-tax", 2); // 受信 (the gateway's notice of delivery), then 受理

                // Wednesday 9/30 is the fifth business day: not overdue before it has ended
                clock.set("2026-09-30T23:59:00+09:00");
                assertThat(scanner.scanOnce()).isEmpty();

                clock.set("2026-10-01T00:30:00+09:00");
                List<EscalationScanner.Escalation> escalated = scanner.scanOnce();
                assertThat(escalated).extracting(EscalationScanner.Escalation::referralId).containsExactly("REF-2026-000141");
                assertThat(scanner.scanOnce()).isEmpty();
                clock.set("2026-10-05T09:00:00+09:00");
                assertThat(scanner.scanOnce()).isEmpty();

                // the welfare office (the sender) receives, after the notice of delivery (受信), one gateway-signed,
                // schema-valid overdue notice, in XML as it sent
                RecipientSimulator.Received notice = awaitCopies(recipients, "tsunagi-welfare", 2).stream()
                        .filter(r -> r.text().contains("[escalation.overdue]")).findFirst().orElseThrow();
                assertThat(notice.contentType()).startsWith("application/xml");
                assertThat(MessageSignatures.verify(notice.body(), agencies.keyResolver()).agencyId()).isEqualTo("gateway");
                Message message = new MessageReader(MessageReader.DEFAULT_MAX_BYTES, clock).read(notice.body());
                assertThat(message.getMessageType()).isEqualTo(MessageType.STATUS_UPDATE);
                assertThat(message.getSender()).isEqualTo("gateway");
                assertThat(message.getRecipient()).isEqualTo("tsunagi-welfare");
                assertThat(message.getReferralId()).isEqualTo("REF-2026-000141");
                assertThat(message.getMessageId()).isEqualTo(escalated.get(0).noticeMessageId());
                assertThat(message.getStatusUpdate().getStatus()).isEqualTo(ReferralStatus.RECEIVED);
                assertThat(message.getStatusUpdate().getNote()).startsWith("[escalation.overdue]").contains("2026-09-30");
                // nothing of the person: not the name, reading, phone or address of the referral
                assertThat(notice.text()).doesNotContain("中村", "由美子", "ナカムラ", "080-5521-7390", "栄町");
                Thread.sleep(200);
                assertThat(recipients.processedBy("tsunagi-welfare")).hasSize(2);
                assertThat(recipients.processedBy("tsunagi-tax")).hasSize(2);

                assertThat(auditActions(audit, database, "REF-2026-000141")).containsOnlyOnce("OVERDUE_ESCALATED");
                assertThat(auditActions(audit, database, "REF-2026-000123")).doesNotContain("OVERDUE_ESCALATED");
                assertThat(new AuditVerifier(agencies.keyResolver()).verify(database.dataSource()).intact()).isTrue();
            } finally {
                workers.stop();
            }
        }
    }

    /** A sample as a fresh message created a minute before the clock's now, signed by its sender. */
    private static Submission submit(IntakeService intake, TestMessages messages, TestClock clock, String sample,
                                                MessageFormat format) throws Exception {
        ObjectNode json = messages.sample(sample, m -> {
            m.put("createdAt", OffsetDateTime.ofInstant(clock.instant().minusSeconds(60), clock.getZone())
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            if (m.has("statusUpdate")) {
                ((ObjectNode) m.get("statusUpdate")).put("effectiveAt", m.get("createdAt").asText());
            }
        });
        byte[] document = format == MessageFormat.JSON ? JsonCodec.write(json)
                : XmlCodec.write(new MessageReader(MessageReader.DEFAULT_MAX_BYTES, clock).readJson(JsonCodec.write(json)));
        byte[] signed = MessageSignatures.sign(document, messages.key(json.get("sender").asText()));
        return intake.submit(signed, format.mediaType(), null);
    }

    private static List<RecipientSimulator.Received> awaitCopies(RecipientSimulator recipients, String agency, int n)
            throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (recipients.processedBy(agency).size() >= n) {
                return recipients.processedBy(agency);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + n + " copies for " + agency + ", got " + recipients.processedBy(agency).size());
    }

    private static void awaitReceived(Database database, int referrals) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = database.dataSource().getConnection();
                 ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM referral WHERE status = 'RECEIVED'")) {
                r.next();
                if (r.getLong(1) >= referrals) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the deliveries were not recorded");
    }

    private static List<String> auditActions(AuditChain audit, Database database, String referralId) throws Exception {
        audit.chainCommitted(database.dataSource()); // what the gateway's sequencer does within its delay
        try (Connection c = database.dataSource().getConnection();
             var s = c.prepareStatement("SELECT action FROM audit_entry WHERE referral_id = ? ORDER BY seq")) {
            s.setString(1, referralId);
            List<String> actions = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    actions.add(r.getString(1));
                }
            }
            return actions;
        }
    }
}
