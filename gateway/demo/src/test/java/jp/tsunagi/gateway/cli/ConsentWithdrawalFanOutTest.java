package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.app.Gateway;
import jp.tsunagi.gateway.app.GatewaySettings;
import jp.tsunagi.gateway.intake.TestMessages;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.MessageSignatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop of a withdrawal (同意撤回) across every native format: the shipped conf/ (all routes and mappings)
 * with the demo's simulated systems, one consent under which the hub referred the same person to four agencies, and
 * the withdrawal recorded at the hub. Each agency must receive it in its own format, readable by its own mapping.
 */
class ConsentWithdrawalFanOutTest {
    private static final String CONSENT = "CNS-2026-7001";

    @Test
    void aConsentWithdrawnAtTheHubReachesEveryAgencyThatReceivedDataUnderItEachInItsOwnFormat(@TempDir Path dir) throws Exception {
        Path conf = DemoConf.defaultConfIn(dir);
        AgencyDirectory agencies = AgencyDirectory.inConfDirectory(conf);
        KeyMaterial.writeFiles(dir.resolve("keys"), "gateway", "gateway");
        for (Agency agency : agencies.agencies()) {
            KeyMaterial.writeFiles(dir.resolve("keys"), agency.id(), agency.id());
        }
        TestMessages messages = new TestMessages(dir.resolve("keys"));
        try (DemoSystems systems = DemoSystems.start(agencies, conf, dir.resolve("data/exchange"));
             Gateway gateway = Gateway.start(GatewaySettings.load(conf))) {
            URI api = URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/messages");
            Map<String, String> referrals = Map.of(
                    "tsunagi-welfare", "F3-hub-to-welfare", "tsunagi-hellowork", "F4-hub-to-hellowork",
                    "tsunagi-tax", "F7-hub-to-tax", "tsunagi-houkatsu", "F3-hub-to-welfare");
            for (Map.Entry<String, String> to : referrals.entrySet()) {
                assertThat(post(api, messages, messages.sample(to.getValue(), underOneConsent(to.getKey())))).isEqualTo(202);
            }
            for (String agency : referrals.keySet()) {
                await(systems, agency, 1);
            }

            ObjectNode withdrawal = messages.sample("F10-hub-consent-withdrawal", m -> {
                m.put("referralId", referralTo("tsunagi-welfare"));
                ((ObjectNode) m.get("consentWithdrawal")).put("consentId", CONSENT).put("withdrawnAt", "2026-11-25T16:30:00+09:00");
            });
            assertThat(post(api, messages, withdrawal)).isEqualTo(202);

            for (String agency : referrals.keySet()) {
                JsonNode notice = await(systems, agency, 2).stream().filter(m -> m.has("consentWithdrawal")).findFirst()
                        .orElseThrow(() -> new AssertionError(agency + " received no withdrawal it can read"));
                assertThat(notice.at("/consentWithdrawal/consentId").asText()).as(agency).isEqualTo(CONSENT);
                assertThat(notice.at("/consentWithdrawal/withdrawnAt").asText()).as(agency).startsWith("2026-11-25T");
            }
            // the hub recorded it: nothing of it is sent back; the hub only heard that each referral was received
            assertThat(awaitAtLeast(() -> systems.sharedBodies("tsunagi-hub"), 4, "tsunagi-hub")).hasSize(4).allSatisfy(notice ->
                    assertThat(JsonCodec.parse(notice).at("/statusUpdate/status").asText()).isEqualTo("RECEIVED"));
        }
    }

    /** The sample re-addressed: one referral id per agency, and the same consent, naming every recipient. */
    private static Consumer<ObjectNode> underOneConsent(String recipient) {
        return m -> {
            m.put("recipient", recipient).put("referralId", referralTo(recipient));
            ObjectNode consent = (ObjectNode) m.at("/referral/basis/consent");
            consent.put("consentId", CONSENT);
            if (recipient.equals("tsunagi-houkatsu")) {
                // the care system takes referrals for household support, not for public assistance
                ((ObjectNode) m.get("referral")).put("purpose", "HOUSEHOLD_SUPPORT");
                consent.putArray("purposes").add("HOUSEHOLD_SUPPORT");
            }
            ArrayNode recipients = consent.putArray("recipients");
            for (String agency : List.of("tsunagi-welfare", "tsunagi-hellowork", "tsunagi-tax", "tsunagi-houkatsu")) {
                recipients.addObject().put("agencyId", agency);
            }
        };
    }

    /** REF-2026-7001 and on, one per recipient: short enough for the tax desk's 16-byte 整理番号. */
    private static String referralTo(String recipient) {
        return "REF-2026-" + (7001 + List.of("tsunagi-welfare", "tsunagi-hellowork", "tsunagi-tax", "tsunagi-houkatsu").indexOf(recipient));
    }

    private static int post(URI api, TestMessages messages, ObjectNode message) throws Exception {
        byte[] signed = MessageSignatures.sign(JsonCodec.write(message), messages.key(message.get("sender").asText()));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(signed)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return answer.statusCode();
    }

    /** What the agency's system has received, read back with its own mappings, once it has n documents. */
    private static List<JsonNode> await(DemoSystems systems, String agency, int n) throws InterruptedException {
        return awaitAtLeast(() -> systems.receivedMessages(agency), n, agency);
    }

    private static <T> List<T> awaitAtLeast(Supplier<List<T>> received, int n, String agency) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (received.get().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<T> documents = received.get();
        if (documents.size() < n) {
            throw new AssertionError(agency + " received " + documents.size() + " of " + n + " documents");
        }
        return documents;
    }
}
