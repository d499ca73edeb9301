package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consent that holds for every person and every fact, through the running gateway: a household member goes only
 * under her own basis, a consent counts only from someone entitled to give it, a code is its category, and the
 * sensitivity flag is audited and forwarded. None of it leaves a name in an answer or in the audit trail.
 */
class EveryPersonEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void in_an_8050_household_the_member_without_a_basis_of_her_own_never_reaches_the_hub_and_is_listed_by_position()
            throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            ObjectNode f5 = g.sample("F5-", m -> {
                ObjectNode sister = (ObjectNode) m.at("/referral/household/1");
                sister.putObject("name").put("family", Canary.FAMILY).put("given", Canary.GIVEN);
                ((ObjectNode) m.get("referral")).put("sensitivity", "HUMAN_RIGHTS");
            });

            HttpResponse<byte[]> answer = g.send(f5);

            assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);
            JsonNode copy = JsonCodec.parse(g.awaitCopies("tsunagi-hub", 1).get(0).body());
            assertThat(copy.at("/referral/household")).hasSize(1);
            assertThat(copy.at("/referral/household/0/relationship").asText()).isEqualTo("PARENT");
            assertThat(copy.at("/referral/household/0/issues/0").asText()).isEqualTo("ILLNESS");
            assertThat(copy.at("/provenance/removedMembers").toString()).isEqualTo("[1]");
            assertThat(copy.at("/referral/sensitivity").asText()).isEqualTo("HUMAN_RIGHTS");
            assertThat(copy.toString()).doesNotContain(Canary.FAMILY, Canary.GIVEN);
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'CONSENT_DECISION'"
                    + " AND outcome = 'allowed.sensitivity.HUMAN_RIGHTS'")).isEqualTo(1);
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'MINIMIZED'"
                    + " AND outcome = 'removed.members.1'")).isEqualTo(1);
            assertThat(audit(g)).doesNotContain(Canary.FAMILY, Canary.GIVEN);
        }
    }

    @Test
    void a_1_0_referral_whose_copy_lists_a_removed_member_reaches_the_recipient_as_1_1() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            ObjectNode f5 = g.sample("F5-", m -> {
                m.put("schemaVersion", "1.0");
                ((ObjectNode) m.at("/referral/household/0")).remove("basis"); // a 1.0 message: no member has a basis
            });

            assertThat(g.send(f5).statusCode()).isEqualTo(202);

            JsonNode copy = JsonCodec.parse(g.awaitCopies("tsunagi-hub", 1).get(0).body());
            assertThat(copy.at("/provenance/removedMembers").toString()).isEqualTo("[0,1]");
            assertThat(copy.get("schemaVersion").asText()).isEqualTo("1.1");
        }
    }

    @Test
    void a_fathers_consent_for_his_adult_son_is_refused_audited_and_forwards_nothing() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            ObjectNode f2 = g.sample("F2-", m -> {
                ((ObjectNode) m.at("/referral/subject/name")).put("family", Canary.FAMILY).put("given", Canary.GIVEN);
                ((ObjectNode) m.at("/referral/basis/consent")).put("givenBy", "RELATIVE");
            });

            HttpResponse<byte[]> answer = g.send(f2);

            assertThat(answer.statusCode()).isEqualTo(403);
            String body = new String(answer.body(), StandardCharsets.UTF_8);
            assertThat(JsonCodec.parse(answer.body()).path("code").asText()).isEqualTo("consent.giver_not_entitled");
            assertThat(body).doesNotContain(Canary.FAMILY, Canary.GIVEN);
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'REJECTED'"
                    + " AND code = 'consent.giver_not_entitled'")).isEqualTo(1);
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM outbox")).isZero();
            assertThat(audit(g)).doesNotContain(Canary.FAMILY, Canary.GIVEN);
        }
    }

    @Test
    void an_illness_code_under_a_consent_that_does_not_name_health_is_refused_as_special_care_information()
            throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            ObjectNode f2 = g.sample("F2-", m -> ((ArrayNode) m.at("/referral/issues")).add("ILLNESS"));

            HttpResponse<byte[]> answer = g.send(f2);

            assertThat(answer.statusCode()).isEqualTo(403);
            assertThat(JsonCodec.parse(answer.body()).path("code").asText()).isEqualTo("consent.sensitive_not_named");
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM outbox")).isZero();
        }
    }

    @Test
    void the_mother_kept_on_her_own_consent_gets_a_provision_record_of_her_own_naming_her_consent() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            HttpResponse<byte[]> answer = g.send(g.sample("F5-"));

            assertThat(answer.statusCode()).isEqualTo(202);
            // the son on his consent, his mother on hers; the sister, removed, was provided nothing
            assertThat(Canary.count(g, "SELECT COUNT(DISTINCT subject_ref) FROM provision_record"
                    + " WHERE referral_id = 'REF-2026-000174'")).isEqualTo(2);
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM provision_record WHERE referral_id = 'REF-2026-000174'"
                    + " AND basis_ref = 'CNS-2026-0065' AND data_categories LIKE '%HEALTH%'")).isEqualTo(1);
        }
    }

    @Test
    void withdrawing_the_mothers_own_consent_stops_the_undelivered_copy_that_carries_her_data() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2, "tsunagi.delivery.max-attempts=1000\n")) {
            g.recipients.answerWith("tsunagi-hub", 503);
            assertThat(g.send(g.sample("F5-")).statusCode()).isEqualTo(202);

            HttpResponse<byte[]> withdrawal = g.send(g.sample("F10-", m -> {
                m.put("sender", "tsunagi-houkatsu").put("recipient", "tsunagi-hub").put("referralId", "REF-2026-000174");
                ((ObjectNode) m.get("consentWithdrawal")).put("consentId", "CNS-2026-0065").put("recordedBy", "tsunagi-houkatsu");
            }));

            assertThat(withdrawal.statusCode()).as(new String(withdrawal.body(), StandardCharsets.UTF_8)).isEqualTo(202);
            // stopped by the withdrawal, or, if an attempt was under way, by the re-check before the next one
            String stopped = "SELECT COUNT(*) FROM outbox WHERE referral_id = 'REF-2026-000174' AND recipient = 'tsunagi-hub'"
                    + " AND status = 'DEAD' AND last_error_code = 'consent.withdrawn'";
            assertThat(Canary.await(g, stopped, n -> n == 1)).isEqualTo(1);
            assertThat(g.recipients.processedBy("tsunagi-hub")).isEmpty();
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM referral WHERE referral_id = 'REF-2026-000174'"
                    + " AND status = 'CANCELLED'")).isEqualTo(1);
        }
    }

    private static String audit(GatewayFixture g) throws Exception {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("audit_entry", "provision_record", "referral", "referral_event")) {
            all.append(Canary.rows(g, table));
        }
        return all.toString();
    }
}
