package jp.tsunagi.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.GatewayPublicKeys;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.signature.KeyResolver;

/**
 * Two dead-lettered referrals on a real gateway, what the operating tests start from: the welfare office's system
 * refuses (404) the hub's F3 referral (under consent CNS-2026-0043) and its F8 referral (support meeting, no consent),
 * so both copies are dead letters, both referrals FAILED and the hub told 不達.
 */
public final class DeadLetterScenario {
    /** F3: hub -> welfare office, consent CNS-2026-0043 (the F10 sample withdraws it). */
    public static final String UNDER_CONSENT = "REF-2026-000152";
    /** F8: hub -> welfare office, support meeting (支援会議): no consent to withdraw. */
    public static final String UNDER_MEETING = "REF-2026-000195";

    public final GatewayFixture g;
    /** The outbox ids of the two referrals' dead copies. */
    public final long underConsent;
    public final long underMeeting;

    public DeadLetterScenario(GatewayFixture g, ObjectNode f3) throws Exception {
        this.g = g;
        g.recipients.answerWith("tsunagi-welfare", 404);
        assertThat(g.send(f3).statusCode()).isEqualTo(202);
        assertThat(g.send(g.sample("F8-hub")).statusCode()).isEqualTo(202);
        awaitNumber("SELECT COUNT(*) FROM referral WHERE status = 'FAILED'", n -> n == 2);
        g.awaitCopy("tsunagi-hub", m -> isNotice(m, UNDER_MEETING, "FAILED"));
        this.underConsent = number("SELECT id FROM outbox WHERE referral_id = '" + UNDER_CONSENT
                + "' AND recipient = 'tsunagi-welfare' AND status = 'DEAD'");
        this.underMeeting = number("SELECT id FROM outbox WHERE referral_id = '" + UNDER_MEETING
                + "' AND recipient = 'tsunagi-welfare' AND status = 'DEAD'");
    }

    public DeadLetterScenario(GatewayFixture g) throws Exception {
        this(g, g.sample("F3-"));
    }

    /** The hub withdraws CNS-2026-0043 (F10), accepted. */
    public void withdrawConsent() throws Exception {
        assertThat(g.send(g.sample("F10-")).statusCode()).isEqualTo(202);
        awaitNumber("SELECT COUNT(*) FROM consent_withdrawal WHERE consent_id = 'CNS-2026-0043'", n -> n == 1);
    }

    /** A gateway notice to the sender about that referral, in that status. */
    public static boolean isNotice(Message m, String referralId, String status) {
        return GatewayFixture.statusUpdate("gateway", status).test(m) && referralId.equals(m.getReferralId());
    }

    /** How many notices of that status the hub's system has received about the referral. */
    public long noticesToHub(String referralId, String status) {
        jp.tsunagi.schema.validation.MessageReader reader = new jp.tsunagi.schema.validation.MessageReader();
        return g.recipients.processedBy("tsunagi-hub").stream().map(r -> reader.read(r.body()))
                .filter(m -> isNotice(m, referralId, status)).count();
    }

    /** The number a query answers, after the audit entries committed so far are chained (they may be asserted on). */
    public long number(String sql) throws Exception {
        g.gateway.awaitAuditChained();
        try (Connection c = g.gateway.database().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet r = s.executeQuery()) {
            return r.next() ? r.getLong(1) : -1;
        }
    }

    /** The first column of every row, after the audit entries committed so far are chained. */
    public List<String> strings(String sql) throws Exception {
        g.gateway.awaitAuditChained();
        try (Connection c = g.gateway.database().dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql);
             ResultSet r = s.executeQuery()) {
            List<String> values = new ArrayList<>();
            while (r.next()) {
                values.add(r.getString(1));
            }
            return values;
        }
    }

    /** Polls the number until it is ready (at most 15 s) and asserts it is. */
    public long awaitNumber(String sql, LongPredicate ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        long value = number(sql);
        while (!ready.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = number(sql);
        }
        assertThat(ready.test(value)).as(sql + " gave " + value).isTrue();
        return value;
    }

    /** The statuses the referral went through, oldest first. */
    public List<String> history(String referralId) throws Exception {
        return strings("SELECT status FROM referral_event WHERE referral_id = '" + referralId + "' ORDER BY event_id");
    }

    /** Whether the whole audit chain still verifies. */
    public boolean chainIntact() throws Exception {
        KeyResolver keys = KeyResolver.of(GatewayPublicKeys.of(g.agencies, g.dir.resolve("keys")));
        return new AuditVerifier(keys).verify(g.gateway.database().dataSource()).intact();
    }
}
