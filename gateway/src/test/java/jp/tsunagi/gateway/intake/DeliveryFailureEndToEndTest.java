package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A recipient that fails, then one that comes back, through the real gateway: retries, dead letters, order, audit. */
class DeliveryFailureEndToEndTest {
    @TempDir
    java.nio.file.Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aRecipientThatKeepsFailingIsRetriedThenDeadLetteredWithAuditAndTheReferralFailsAndThePersonAppearsNowhereInClear(TestDatabases.Kind kind)
            throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (GatewayFixture g = new GatewayFixture(dir, kind)) {
            g.recipients.answerWith(500);
            ObjectNode referral = g.sample("F6-", m -> {
                ((ObjectNode) m.at("/referral/subject/name")).put("family", Canary.FAMILY).put("given", Canary.GIVEN);
                ((ArrayNode) m.at("/referral/subject/contact/phones")).removeAll().add(Canary.PHONE);
            });
            assertThat(g.send(referral).statusCode()).isEqualTo(202);

            assertThat(Canary.await(g, "SELECT COUNT(*) FROM outbox WHERE status = 'DEAD'", n -> n >= 1)).isEqualTo(1);
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'DELIVERY_ATTEMPT' AND message_id ="
                    + " (SELECT message_id FROM outbox WHERE recipient = 'tsunagi-hub')")).isEqualTo(4);
            // the sender is told (不達), through the same outbox: a referral that cannot be delivered is never silent
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'FORWARD_SCHEDULED'"
                    + " AND code = 'notice.failed' AND outcome = 'to.tsunagi-hellowork'")).isEqualTo(1);
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'DEAD_LETTERED'")).isEqualTo(1);
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM referral WHERE status = 'FAILED'")).isEqualTo(1);

            // the person's data is stored encrypted and appears nowhere else: audit, referral state, metrics, logs
            List<String> texts = new ArrayList<>(List.of(Canary.rows(g, "audit_entry"), Canary.rows(g, "provision_record"),
                    Canary.rows(g, "referral"), Canary.rows(g, "referral_event"), Canary.rows(g, "message"), Canary.rows(g, "outbox"), g.get("/metrics", null).body(),
                    logs.toString(StandardCharsets.UTF_8)));
            for (String text : texts) {
                assertThat(text).doesNotContain(Canary.FAMILY).doesNotContain(Canary.GIVEN).doesNotContain(Canary.PHONE);
            }
        } finally {
            System.setErr(originalErr);
        }
    }

    @Test
    void theSenderIsToldWhenItsReferralReachesTheRecipientsSystemAndWhenItCannot() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            g.recipients.answerWith("tsunagi-welfare", 503);
            ObjectNode reaches = g.sample("F6-");
            ObjectNode cannot = g.sample("F3-");
            assertThat(g.send(reaches).statusCode()).isEqualTo(202);
            assertThat(g.send(cannot).statusCode()).isEqualTo(202);

            Message received = g.awaitCopy("tsunagi-hellowork", GatewayFixture.statusUpdate("gateway", "RECEIVED"));
            Message failed = g.awaitCopy("tsunagi-hub", GatewayFixture.statusUpdate("gateway", "FAILED"));

            assertThat(received.getReferralId()).isEqualTo(reaches.get("referralId").asText());
            assertThat(received.getStatusUpdate().getNote()).startsWith("[delivery.received]");
            assertThat(failed.getReferralId()).isEqualTo(cannot.get("referralId").asText());
            assertThat(failed.getStatusUpdate().getReason().name()).isEqualTo("DELIVERY_FAILED");
            assertThat(failed.getStatusUpdate().getNote()).startsWith("[delivery.failed]").contains("tsunagi-welfare")
                    .doesNotContain(cannot.at("/referral/subject/name/family").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aRecipientThatComesBackGetsTheRemainingCopiesInOrderPerReferral(TestDatabases.Kind kind) throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, kind, "tsunagi.delivery.max-attempts=50\n")) {
            g.recipients.answerWith(503);
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String marker = "つなぎ" + i;
                ObjectNode referral = g.sample("F6-", m -> ((ObjectNode) m.get("referral")).put("chiefComplaint", marker));
                assertThat(g.send(referral).statusCode()).isEqualTo(202);
                sent.add(marker);
            }
            Thread.sleep(300);
            assertThat(g.recipients.processed()).isEmpty();
            g.recipients.answerWith(200);

            List<String> arrived = new ArrayList<>();
            for (RecipientSimulator.Received copy : g.awaitCopies("tsunagi-hub", 3)) {
                arrived.add(new MessageReader().read(copy.body()).getReferral().getChiefComplaint());
            }
            assertThat(arrived).containsExactlyElementsOf(sent);
        }
    }
}
