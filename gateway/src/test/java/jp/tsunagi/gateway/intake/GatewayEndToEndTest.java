package jp.tsunagi.gateway.intake;

import jp.tsunagi.schema.JapanTime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every flow F1-F10 through a real gateway (HTTP, store, delivery, audit), on H2 and on PostgreSQL. */
class GatewayEndToEndTest {
    private static final String CANARY_NAME = Canary.FAMILY;
    private static final String CANARY_GIVEN = Canary.GIVEN;
    private static final String CANARY_PHONE = Canary.PHONE;

    @TempDir
    java.nio.file.Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void everyLawfulFlowIsForwardedMinimizedGatewaySignedAuditedAndAnsweredWithASignedReceipt(TestDatabases.Kind kind) throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, kind)) {
            KeyResolver gatewayKey = KeyResolver.of(Map.of("gateway#1", Pem.readPublicKey(KeyMaterial.publicKeyFile(dir.resolve("keys"), "gateway"))));

            // F1 tax desk -> hub, JSON: receipt signed by the gateway, copy signed by the gateway with provenance
            ObjectNode f1 = g.sample("F1-");
            HttpResponse<byte[]> accepted = g.send(f1);
            assertThat(accepted.statusCode()).isEqualTo(202);
            assertThat(MessageSignatures.verify(accepted.body(), gatewayKey).kid()).isEqualTo("gateway#1");
            Message receipt = new MessageReader().read(accepted.body());
            assertThat(receipt.getReceipt().getAcknowledgedMessageId()).isEqualTo(f1.get("messageId").asText());
            RecipientSimulator.Received copy = g.awaitCopies("tsunagi-hub", 1).get(0);
            assertThat(MessageSignatures.verify(copy.body(), gatewayKey).kid()).isEqualTo("gateway#1");
            Message forwarded = new MessageReader().read(copy.body());
            assertThat(forwarded.getProvenance().getOriginalMessageId()).isEqualTo(f1.get("messageId").asText());
            assertThat(forwarded.getProvenance().getOriginalSender()).isEqualTo("tsunagi-tax");
            assertThat(forwarded.getProvenance().getOriginalSha256()).hasSize(64);
            assertThat(forwarded.getReferral().getTaxArrears()).isNotNull();

            // a repeat of the same message: 200 and the original receipt, nothing forwarded twice
            HttpResponse<byte[]> again = g.post(MessageSignatures.sign(JsonCodec.write(f1), g.key("tsunagi-tax")), "application/json");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).isEqualTo(accepted.body());
            // the same messageId with other content: 409
            ObjectNode changed = f1.deepCopy();
            changed.put("referralId", "REF-2026-999999");
            assertThat(g.send(changed).statusCode()).isEqualTo(409);

            // lifecycle: COMPLETED before ACCEPTED is refused, ACCEPTED by the recipient goes back to the sender (F9)
            assertThat(problem(g.send(g.sample("F9-hub", m -> status(m, "COMPLETED"))))).containsEntry("status", "422")
                    .containsEntry("code", "lifecycle.transition_not_allowed");
            assertThat(g.send(g.sample("F9-hub")).statusCode()).isEqualTo(202);
            assertThat(g.awaitCopy("tsunagi-tax", GatewayFixture.statusUpdate("tsunagi-hub", "ACCEPTED")).getReferralId())
                    .isEqualTo(f1.get("referralId").asText());

            // F2 welfare -> hub in XML: the copy is XML too
            HttpResponse<byte[]> xml = g.send(g.sample("F2-"), MessageFormat.XML);
            assertThat(xml.statusCode()).as(new String(xml.body(), StandardCharsets.UTF_8)).isEqualTo(202);
            assertThat(g.awaitCopies("tsunagi-hub", 2).get(1).contentType()).startsWith("application/xml");

            // F3 hub -> welfare office; F8 support meeting hub -> welfare office
            assertThat(g.send(g.sample("F3-")).statusCode()).isEqualTo(202);
            assertThat(g.send(g.sample("F8-hub")).statusCode()).isEqualTo(202);
            g.awaitCopies("tsunagi-welfare", 2);

            // F4 hub -> Hello Work carrying health data: Hello Work's copy has none, and says it was removed
            ObjectNode f4 = g.sample("F4-hub", m -> {
                ((ObjectNode) m.get("referral")).putObject("health").put("note", "通院中");
                ((ArrayNode) m.at("/referral/basis/consent/dataCategories")).add("HEALTH");
            });
            assertThat(g.send(f4).statusCode()).isEqualTo(202);
            Message toHelloWork = new MessageReader().read(g.awaitCopies("tsunagi-hellowork", 1).get(0).body());
            assertThat(toHelloWork.getReferral().getHealth()).isNull();
            assertThat(toHelloWork.getProvenance().getRemovedCategories()).extracting(Enum::name).containsExactly("HEALTH");
            // F4 back: Hello Work accepts, then reports progress
            assertThat(g.send(g.sample("F4-hellowork", m -> status(m, "ACCEPTED"))).statusCode()).isEqualTo(202);
            assertThat(g.send(g.sample("F4-hellowork")).statusCode()).isEqualTo(202);

            // F5 8050 household, F6 Hello Work's recommendation, F8 vital interest: all to the hub
            assertThat(g.send(g.sample("F5-")).statusCode()).isEqualTo(202);
            assertThat(g.send(g.sample("F6-")).statusCode()).isEqualTo(202);
            assertThat(g.send(g.sample("F8-houkatsu")).statusCode()).isEqualTo(202);
            // F7 hand-back to the tax desk on the same referral
            assertThat(g.send(g.sample("F7-")).statusCode()).isEqualTo(202);

            // F10 consent of F3 withdrawn: the welfare office, which received data under it, is told
            assertThat(g.send(g.sample("F10-")).statusCode()).isEqualTo(202);
            assertThat(g.awaitCopy("tsunagi-welfare", m -> m.getConsentWithdrawal() != null).getConsentWithdrawal().getConsentId())
                    .isEqualTo("CNS-2026-0043");
            // ...and the consent cannot be used again
            assertThat(problem(g.send(g.sample("F3-")))).containsEntry("code", "consent.withdrawn");

            // the referral's status, for its parties only
            String token = ReferralQueryToken.create(g.key("tsunagi-tax"), "REF-2026-000152", Instant.now());
            assertThat(g.get("/api/v1/referrals/REF-2026-000152", token).statusCode()).isEqualTo(404);
            String hubToken = ReferralQueryToken.create(g.key("tsunagi-hub"), "REF-2026-000152", Instant.now());
            HttpResponse<String> status = g.get("/api/v1/referrals/REF-2026-000152", hubToken);
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"referralId\"").contains("SENT");
            assertThat(g.get("/api/v1/referrals/REF-2026-000152", null).statusCode()).isEqualTo(401);

            // the audit trail is intact, and has a provision record for every referral forwarded (9), and one for the
            // household member forwarded on her own consent (F5's mother)
            assertThat(new AuditVerifier(gatewayKey).verify(g.gateway.database().dataSource()).intact()).isTrue();
            assertThat(count(g, "SELECT COUNT(*) FROM provision_record")).isEqualTo(10);
            assertThat(count(g, "SELECT COUNT(*) FROM audit_entry WHERE outcome = 'allowed.review_required'")).isEqualTo(1);
            // the support meeting's decision (F8) records the statute the meeting declares in policy.yaml
            assertThat(count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'CONSENT_DECISION'"
                    + " AND basis = 'SUPPORT_MEETING:NEEDY_PERSONS_ACT_ART9'")).isEqualTo(1);
            assertThat(g.get("/api/v1/health", null).body()).contains("\"UP\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void everyUnlawfulVariantIsRefusedWithItsCodeAuditedAndForwardsNothingAndNoAnswerEchoesThePerson(TestDatabases.Kind kind)
            throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (GatewayFixture g = new GatewayFixture(dir, kind)) {
            List<String> answers = new ArrayList<>();
            Refusals r = new Refusals(g, answers);

            r.expect(403, "policy.basis_not_allowed", g.sample("F1-", canary(m -> basis(m).putObject("vitalInterest")
                    .put("justification", "本人が入院中で意思確認ができないため、緊急に支援が必要。"))));
            r.expect(403, "consent.expired", g.sample("F2-", canary(m -> consent(m).put("expiresAt", past(1)).put("obtainedAt", past(60)))));
            r.expect(403, "consent.recipient_not_named", g.sample("F1-", canary(m -> ((ArrayNode) consent(m).get("recipients"))
                    .removeAll().addObject().put("agencyId", "tsunagi-welfare"))));
            r.expect(403, "consent.sensitive_not_named", g.sample("F3-", canary(m -> remove((ArrayNode) consent(m).get("dataCategories"), "HEALTH"))));
            r.expect(403, "policy.basis_not_allowed", g.sample("F1-", canary(m -> basis(m).putObject("supportMeeting")
                    .put("meetingId", "SM-2026-0001"))));
            r.expect(403, "support_meeting.not_member", g.sample("F8-hub", canary(m -> m.put("recipient", "tsunagi-hellowork"))));
            r.expect(422, "message.outside_replay_window", g.sample("F1-", canary(m -> m.put("createdAt", past(30)))));
            r.expectSignedWith(401, "signature.sender_mismatch", g.sample("F1-", canary(m -> { })), "tsunagi-hub");
            r.expectTampered(401, "signature.invalid", g.sample("F1-", canary(m -> { })));
            r.expect(400, "schema.invalid", g.sample("F1-", canary(m -> ((ObjectNode) m.at("/referral/subject/kana")).put("family", "とば"))));
            r.expect(403, "lifecycle.not_a_party", g.sample("F9-hub", m -> m.put("referralId", "REF-2026-777777")));
            assertThat(g.post("{}".getBytes(StandardCharsets.UTF_8), "text/plain").statusCode()).isEqualTo(415);
            // over the server's own limit: cut off before the intake, still the intake's problem (and no ERROR log line)
            var tooLarge = g.post(new byte[2 * 1024 * 1024], "application/json");
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(new String(tooLarge.body(), StandardCharsets.UTF_8)).contains("\"code\" : \"message.too_large\"");
            // withdrawn: the withdrawal is accepted (nobody received anything yet), then the consent is refused
            assertThat(g.send(g.sample("F10-")).statusCode()).isEqualTo(202);
            r.expect(403, "consent.withdrawn", g.sample("F3-", canary(m -> { })));

            // no copy was queued, and every copy the gateway sends is an outbox row: nothing was or will be forwarded
            assertThat(count(g, "SELECT COUNT(*) FROM outbox")).isZero();
            assertThat(g.recipients.requests()).as("nothing was forwarded").isZero();
            assertThat(count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'REJECTED'")).isEqualTo(13);
            String metrics = g.get("/metrics", null).body();
            assertThat(metrics).contains("tsunagi_messages_total");
            for (String text : concat(answers, metrics, auditRows(g), logs.toString(StandardCharsets.UTF_8))) {
                assertThat(text).doesNotContain(CANARY_NAME).doesNotContain(CANARY_GIVEN).doesNotContain(CANARY_PHONE);
            }
        } finally {
            System.setErr(originalErr);
        }
    }

    /** Sends refused variants, collecting every answer for the canary check. */
    private record Refusals(GatewayFixture g, List<String> answers) {
        void expect(int status, String code, ObjectNode message) throws Exception {
            check(status, code, g.send(message));
        }

        void expectSignedWith(int status, String code, ObjectNode message, String agency) throws Exception {
            check(status, code, g.send(message, MessageFormat.JSON, g.key(agency)));
        }

        void expectTampered(int status, String code, ObjectNode message) throws Exception {
            String signed = new String(MessageSignatures.sign(JsonCodec.write(message), g.key(message.get("sender").asText())),
                    StandardCharsets.UTF_8);
            check(status, code, g.post(signed.replaceFirst("\"amountYen\" : ([0-9]+)", "\"amountYen\" : 9$1")
                    .getBytes(StandardCharsets.UTF_8), "application/json"));
        }

        private void check(int status, String code, HttpResponse<byte[]> response) {
            String body = new String(response.body(), StandardCharsets.UTF_8);
            answers.add(body);
            assertThat(response.statusCode()).as(code + ": " + body).isEqualTo(status);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JsonCodec.parse(response.body()).get("code").asText()).isEqualTo(code);
        }
    }

    private static Consumer<ObjectNode> canary(Consumer<ObjectNode> edit) {
        return m -> {
            ObjectNode name = (ObjectNode) m.at("/referral/subject/name");
            name.put("family", CANARY_NAME).put("given", CANARY_GIVEN);
            ObjectNode contact = (ObjectNode) m.at("/referral/subject");
            if (!contact.has("contact")) {
                contact.putObject("contact");
                JsonNode categories = m.at("/referral/basis/consent/dataCategories");
                if (categories instanceof ArrayNode list) {
                    list.add("CONTACT");
                }
            }
            ((ObjectNode) contact.get("contact")).putArray("phones").add(CANARY_PHONE);
            edit.accept(m);
        };
    }

    private static Map<String, String> problem(HttpResponse<byte[]> response) {
        JsonNode body = JsonCodec.parse(response.body());
        return Map.of("status", String.valueOf(response.statusCode()), "code", body.path("code").asText());
    }

    private static void status(ObjectNode m, String status) {
        ((ObjectNode) m.get("statusUpdate")).put("status", status);
    }

    private static ObjectNode basis(ObjectNode m) {
        ObjectNode basis = (ObjectNode) m.at("/referral/basis");
        basis.removeAll();
        return basis;
    }

    private static ObjectNode consent(ObjectNode m) {
        return (ObjectNode) m.at("/referral/basis/consent");
    }

    private static void remove(ArrayNode array, String value) {
        for (int i = array.size() - 1; i >= 0; i--) {
            if (array.get(i).asText().equals(value)) {
                array.remove(i);
            }
        }
    }

    private static String past(int days) {
        return OffsetDateTime.now(JapanTime.OFFSET).minusDays(days).withNano(0)
                .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static long count(GatewayFixture g, String sql) throws Exception {
        return Canary.count(g, sql);
    }

    private static String auditRows(GatewayFixture g) throws Exception {
        StringBuilder all = new StringBuilder();
        for (String table : List.of("audit_entry", "audit_checkpoint", "provision_record", "referral", "referral_event")) {
            all.append(Canary.rows(g, table));
        }
        return all.toString();
    }

    private static List<String> concat(List<String> answers, String... more) {
        List<String> all = new ArrayList<>(answers);
        all.addAll(List.of(more));
        return all;
    }
}
