package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The referral ledger seen from the agencies: a withdrawal cancels the referrals whose copy it stopped and tells their
 * senders; a notice never moves the referral it talks about; only holders of a consent (or the hub) may withdraw it;
 * an agency outside a referral learns nothing about it.
 */
class ReferralLedgerEndToEndTest {
    private static final String REFERRAL = "REF-2026-000152"; // F3, hub -> welfare office, consent CNS-2026-0043

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aCopyStoppedByAWithdrawalCancelsItsReferralAndTheWithdrawalNoticeDeliveredAfterIsNoReceipt(TestDatabases.Kind kind)
            throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, kind, "tsunagi.delivery.max-attempts=1000\n")) {
            g.recipients.answerWith("tsunagi-welfare", 503);
            ObjectNode referral = g.sample("F3-");
            assertThat(g.send(referral).statusCode()).isEqualTo(202);
            // tried and refused: the welfare office may have it, so it will be told of the withdrawal
            awaitNumber(g, "SELECT MAX(attempts) FROM outbox WHERE referral_id = '" + REFERRAL + "'", n -> n > 0);

            assertThat(g.send(g.sample("F10-")).statusCode()).isEqualTo(202);
            g.recipients.answerWith("tsunagi-welfare", 200);

            Message notice = g.awaitCopy("tsunagi-welfare", m -> m.getConsentWithdrawal() != null);
            Message cancelled = g.awaitCopy("tsunagi-hub", GatewayFixture.statusUpdate("gateway", "CANCELLED"));
            // the withdrawal notice's delivery is recorded (the moment a wrong 受信 would have been queued)
            awaitNumber(g, "SELECT COUNT(*) FROM outbox WHERE message_id = '" + notice.getMessageId() + "' AND status = 'DELIVERED'",
                    n -> n == 1);

            assertThat(cancelled.getReferralId()).isEqualTo(REFERRAL);
            assertThat(cancelled.getStatusUpdate().getReason().name()).isEqualTo("CONSENT_WITHDRAWN");
            assertThat(cancelled.getStatusUpdate().getNote()).startsWith("[consent.withdrawn]")
                    .doesNotContain(referral.at("/referral/subject/name/family").asText());
            assertThat(strings(g, "SELECT status FROM referral WHERE referral_id = '" + REFERRAL + "'")).containsExactly("CANCELLED");
            assertThat(strings(g, "SELECT status FROM referral_event WHERE referral_id = '" + REFERRAL + "' ORDER BY event_id"))
                    .containsExactly("SENT", "CANCELLED");
            assertThat(strings(g, "SELECT code FROM audit_entry WHERE action = 'FORWARD_SCHEDULED' AND referral_id = '"
                    + REFERRAL + "' AND code LIKE 'notice.%'")).containsExactly("notice.cancelled");
            MessageReader reader = new MessageReader();
            assertThat(g.recipients.processedBy("tsunagi-welfare")).as("the referral itself never arrived")
                    .allSatisfy(copy -> assertThat(reader.read(copy.body()).getConsentWithdrawal()).isNotNull());
            assertThat(g.recipients.processedBy("tsunagi-hub")).extracting(copy -> reader.read(copy.body()))
                    .noneMatch(GatewayFixture.statusUpdate("gateway", "RECEIVED"));
        }
    }

    @Test
    void aCopyAlreadyOnTheWireWhenTheConsentIsWithdrawnIsAuditedAsSuchAndTheWithdrawalFollowsIt() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            g.recipients.delay(800); // a slow recipient: the copy stays on the wire while the withdrawal is accepted
            assertThat(g.send(g.sample("F3-")).statusCode()).isEqualTo(202);
            awaitNumber(g, "SELECT COUNT(*) FROM outbox WHERE referral_id = '" + REFERRAL + "' AND sending_since IS NOT NULL", n -> n == 1);

            assertThat(g.send(g.sample("F10-")).statusCode()).isEqualTo(202);
            g.recipients.delay(0);
            g.awaitCopy("tsunagi-welfare", m -> m.getConsentWithdrawal() != null);

            MessageReader reader = new MessageReader();
            assertThat(g.recipients.processedBy("tsunagi-welfare")).extracting(copy -> reader.read(copy.body()).getMessageType().name())
                    .containsExactly("REFERRAL", "CONSENT_WITHDRAWAL");
            assertThat(strings(g, "SELECT outcome FROM audit_entry WHERE action = 'CONSENT_WITHDRAWN' ORDER BY seq"))
                    .containsExactly("stopped.0", "on_the_wire");
        }
    }

    @Test
    void onlyAHolderOfTheConsentOrTheHubMayWithdrawIt() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            assertThat(g.send(g.sample("F3-")).statusCode()).isEqualTo(202);
            g.awaitCopies("tsunagi-welfare", 1);

            // the tax desk never held or used CNS-2026-0043
            HttpResponse<byte[]> refused = g.send(withdrawalBy(g, "tsunagi-tax"));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(JsonCodec.parse(refused.body()).path("code").asText()).isEqualTo("lifecycle.not_a_party");
            assertThat(strings(g, "SELECT code FROM audit_entry WHERE action = 'REJECTED'")).containsExactly("lifecycle.not_a_party");
            assertThat(strings(g, "SELECT consent_id FROM consent_withdrawal")).as("nothing changed").isEmpty();

            // the welfare office received data under it: it may
            assertThat(g.send(withdrawalBy(g, "tsunagi-welfare")).statusCode()).isEqualTo(202);
            assertThat(strings(g, "SELECT consent_id FROM consent_withdrawal")).containsExactly("CNS-2026-0043");
        }
    }

    @Test
    void anAgencyOutsideAReferralGetsTheSameAnswerWhetherOrNotTheReferralExists() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            assertThat(g.send(g.sample("F3-")).statusCode()).isEqualTo(202);
            g.awaitCopies("tsunagi-welfare", 1);

            HttpResponse<byte[]> known = g.send(g.sample("F4-hellowork", m -> m.put("referralId", REFERRAL)));
            HttpResponse<byte[]> unknown = g.send(g.sample("F4-hellowork", m -> m.put("referralId", "REF-2026-999999")));

            for (HttpResponse<byte[]> answer : List.of(known, unknown)) {
                assertThat(answer.statusCode()).isEqualTo(403);
            }
            JsonNode a = JsonCodec.parse(known.body());
            JsonNode b = JsonCodec.parse(unknown.body());
            assertThat(a.path("code").asText()).isEqualTo("lifecycle.not_a_party");
            for (String field : List.of("code", "status", "title", "detail", "problems")) {
                assertThat(a.path(field)).as(field).isEqualTo(b.path(field));
            }
            assertThat(strings(g, "SELECT status FROM referral_event WHERE by_agency = 'tsunagi-hellowork'")).as("nothing changed")
                    .isEmpty();
        }
    }

    /** The F10 withdrawal of CNS-2026-0043, recorded and sent by that agency to the hub. */
    private static ObjectNode withdrawalBy(GatewayFixture g, String agency) throws Exception {
        return g.sample("F10-", m -> {
            m.put("sender", agency).put("recipient", "tsunagi-hub");
            ((ObjectNode) m.get("consentWithdrawal")).put("recordedBy", agency);
        });
    }

    private static void awaitNumber(GatewayFixture g, String sql, LongPredicate ready) throws Exception {
        assertThat(ready.test(Canary.await(g, sql, ready))).as(sql).isTrue();
    }

    private static List<String> strings(GatewayFixture g, String sql) throws Exception {
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
}
