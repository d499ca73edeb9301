package jp.tsunagi.gateway.intake;

import jp.tsunagi.gateway.app.Gateway;
import jp.tsunagi.gateway.app.GatewaySettings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.http.OpenApiDocument;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 利用停止: an agency suspended in agencies.yaml can send nothing, and what is sent to it is held until a gateway starts
 * without the suspension, then delivered once. One delivery worker, so that "the worker went on to a later copy"
 * proves it passed the held one over.
 */
class AgencySuspensionEndToEndTest {
    private static final String REASON = "端末のウイルス感染の調査中";
    private static final String SUSPENSION = "    suspended:\n      since: 2026-12-01\n      reason: " + REASON + "\n";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aSuspendedAgencyIsRefusedAsSenderReceivesNothingUntilLiftedAndThenItsHeldCopyExactlyOnce(TestDatabases.Kind kind)
            throws Exception {
        // H2 as a file, as the gateway runs it: a second pool on a reopened in-memory H2 finds its CHECK constraints invalid
        String db = kind == TestDatabases.Kind.H2 ? "jdbc:h2:file:" + dir.resolve("db/tsunagi") : TestDatabases.freshUrl(kind);
        GatewayFixture g = new GatewayFixture(dir, db, kind == TestDatabases.Kind.POSTGRESQL,
                "tsunagi.delivery.workers=1\n", conf -> edit(conf, text -> text.replace("    type: WELFARE_OFFICE\n",
                        "    type: WELFARE_OFFICE\n" + SUSPENSION)));
        Gateway lifted = null;
        try {
            // visible: health lists it (without the reason) and stays UP; the trail records the suspension
            HttpResponse<String> health = g.get("/api/v1/health", null);
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode healthBody = JsonCodec.mapper().readTree(health.body());
            assertThat(healthBody.get("status").asText()).isEqualTo("UP");
            assertThat(healthBody.get("suspendedAgencies").toString())
                    .isEqualTo("[{\"id\":\"tsunagi-welfare\",\"since\":\"2026-12-01\"}]");
            assertThat(health.body()).doesNotContain(REASON);
            assertThat(OpenApiDocument.problems("Health", healthBody)).as("the health answer is what openapi.json describes")
                    .isEmpty();
            assertThat(count(g.gateway, "SELECT COUNT(*) FROM audit_entry WHERE action = 'AGENCY_SUSPENDED'"
                    + " AND actor = 'gateway' AND outcome = 'tsunagi-welfare' AND code = 'agency.suspended'")).isEqualTo(1);

            // as a sender: refused, 403 agency.suspended, audited; neither the answer nor the trail names the person
            HttpResponse<byte[]> refused = g.send(g.sample("F2-", m -> {
                m.with("referral").with("subject").with("name").put("family", Canary.FAMILY).put("given", Canary.GIVEN);
                m.with("referral").with("subject").with("contact").putArray("phones").add(Canary.PHONE);
            }));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            String problem = new String(refused.body(), StandardCharsets.UTF_8);
            assertThat(JsonCodec.mapper().readTree(problem).get("code").asText()).isEqualTo("agency.suspended");
            assertThat(problem).doesNotContain(REASON);
            assertThat(count(g.gateway, "SELECT COUNT(*) FROM audit_entry WHERE action = 'REJECTED'"
                    + " AND actor = 'tsunagi-welfare' AND code = 'agency.suspended'")).isEqualTo(1);
            assertThat(count(g.gateway, "SELECT COUNT(*) FROM message WHERE sender = 'tsunagi-welfare'")).isZero();
            for (String text : List.of(problem, Canary.rows(g, "audit_entry"))) {
                assertThat(text).doesNotContain(Canary.FAMILY).doesNotContain(Canary.GIVEN).doesNotContain(Canary.PHONE);
            }

            // as a recipient: accepted, and the copy is held while the worker delivers a later copy to the hub
            var toWelfare = g.sample("F3-");
            String heldReferral = toWelfare.get("messageId").asText();
            assertThat(g.send(toWelfare).statusCode()).isEqualTo(202);
            assertThat(g.send(g.sample("F6-")).statusCode()).isEqualTo(202);
            g.awaitCopies("tsunagi-hub", 1);
            assertThat(g.recipients.processedBy("tsunagi-welfare")).isEmpty();
            assertThat(count(g.gateway, "SELECT COUNT(*) FROM outbox WHERE recipient = 'tsunagi-welfare'")).isEqualTo(1);
            assertThat(count(g.gateway, "SELECT COUNT(*) FROM outbox WHERE recipient = 'tsunagi-welfare'"
                    + " AND status = 'PENDING' AND attempts = 0 AND claimed_by IS NULL")).isEqualTo(1);
            assertThat(count(g.gateway, "SELECT COUNT(*) FROM audit_entry a JOIN outbox o ON o.message_id = a.message_id"
                    + " WHERE o.recipient = 'tsunagi-welfare' AND a.action IN ('DELIVERY_ATTEMPT', 'DEAD_LETTERED')")).isZero();
            assertThat(count(g.gateway, "SELECT COUNT(*) FROM referral WHERE recipient = 'tsunagi-welfare' AND status = 'SENT'"))
                    .isEqualTo(1);
            g.gateway.close();

            // lifted: a new gateway on the same database, without the suspension, delivers the held copy once
            Path conf = dir.resolve("conf");
            edit(conf, text -> text.replace(SUSPENSION, ""));
            lifted = Gateway.start(GatewaySettings.load(conf), null, Clock.systemDefaultZone());
            assertThat(JsonCodec.mapper().readTree(get(lifted, "/api/v1/health")).get("suspendedAgencies").isEmpty()).isTrue();
            g.awaitCopies("tsunagi-welfare", 1);
            // a later copy to the welfare office arrives too, after the held one (same worker, in order)
            assertThat(post(lifted, g.sample("F8-hub"))).isEqualTo(202);
            g.awaitCopies("tsunagi-welfare", 2);
            MessageReader reader = new MessageReader();
            assertThat(g.recipients.processedBy("tsunagi-welfare")).extracting(r -> reader.read(r.body()).getProvenance()
                    .getOriginalMessageId()).containsOnlyOnce(heldReferral).hasSize(2);
            assertThat(count(lifted, "SELECT COUNT(*) FROM audit_entry WHERE action = 'AGENCY_RESUMED'"
                    + " AND outcome = 'tsunagi-welfare' AND code = 'agency.resumed'")).isEqualTo(1);
            assertThat(count(lifted, "SELECT COUNT(*) FROM audit_entry WHERE action = 'AGENCY_SUSPENDED'")).isEqualTo(1);
            KeyResolver gatewayKey = KeyResolver.of(Map.of("gateway#1",
                    Pem.readPublicKey(KeyMaterial.publicKeyFile(dir.resolve("keys"), "gateway"))));
            assertThat(new AuditVerifier(gatewayKey).verify(lifted.database().dataSource()).intact()).isTrue();
        } finally {
            if (lifted != null) {
                lifted.close();
            } else {
                g.gateway.close();
            }
            g.recipients.close();
        }
    }

    private interface TextEdit {
        String apply(String text);
    }

    private static void edit(Path conf, TextEdit change) throws java.io.IOException {
        Path agencies = conf.resolve("agencies.yaml");
        String before = Files.readString(agencies);
        String after = change.apply(before);
        assertThat(after).as("the edit changed agencies.yaml").isNotEqualTo(before);
        Files.writeString(agencies, after);
    }

    private static long count(Gateway gateway, String sql) throws Exception {
        gateway.awaitAuditChained();
        try (var c = gateway.database().dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String get(Gateway gateway, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(gateway, path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private int post(Gateway gateway, com.fasterxml.jackson.databind.node.ObjectNode message) throws Exception {
        byte[] signed = jp.tsunagi.schema.signature.MessageSignatures.sign(JsonCodec.write(message),
                new TestMessages(dir.resolve("keys")).key(message.get("sender").asText()));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(gateway, "/api/v1/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(signed)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static URI uri(Gateway gateway, String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }
}
