package jp.tsunagi.gateway.http;

import jp.tsunagi.schema.JapanTime;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import jp.tsunagi.connectors.simulator.WelfareOfficeSystem;
import jp.tsunagi.gateway.connect.ConnectorConf;
import jp.tsunagi.gateway.delivery.DeliveryResult;
import jp.tsunagi.gateway.app.Gateway;
import jp.tsunagi.gateway.app.GatewaySettings;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real gateway with mutual TLS from gateway.properties: the client certificate must be the signing sender's. */
class GatewayTlsEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void aTaxDeskMessageSentWithTheHubsClientCertificateIsRefusedAndWithItsOwnIsAccepted() throws Exception {
        TlsTestKeys keys = new TlsTestKeys(dir);
        writeProperties(keys, "require");
        try (Gateway gateway = Gateway.start(GatewaySettings.load(keys.conf), item -> DeliveryResult.delivered(200),
                Clock.systemDefaultZone())) {
            URI uri = URI.create("https://127.0.0.1:" + gateway.port() + "/api/v1/messages");

            HttpResponse<String> asHub = send(keys.client("tsunagi-hub"), uri, taxMessage(keys));
            assertThat(asHub.statusCode()).isEqualTo(401);
            assertThat(MutualTlsTest.problemCode(asHub)).isEqualTo("tls.client_not_sender");

            HttpResponse<String> asTax = send(keys.client("tsunagi-tax"), uri, taxMessage(keys));
            assertThat(asTax.statusCode()).as(asTax.body()).isEqualTo(202);
        }
    }

    @Test
    void aDocumentPostedToTheWelfareOfficesConnectorIsTakenOnlyFromTheWelfareOfficesClientCertificate() throws Exception {
        TlsTestKeys keys = new TlsTestKeys(dir);
        writeProperties(keys, "want");
        // the welfare office's connector as shipped, and a route of one's own that does not record the client
        ConnectorConf.copyMappings(keys.conf);
        ConnectorConf.route(keys.conf, "welfare-office.yaml", Files.readString(Path.of("../conf/routes/welfare-office.yaml")));
        ConnectorConf.route(keys.conf, "welfare-direct.yaml", """
                - route:
                    id: welfare-office-in-without-the-kamelet
                    from:
                      uri: "platform-http:/connectors/welfare-direct"
                      steps:
                        - to: "tsunagi:intake?agency=tsunagi-welfare&mappings=welfare-sends-referral&result=json"
                """);
        try (Gateway gateway = Gateway.start(GatewaySettings.load(keys.conf), item -> DeliveryResult.delivered(200),
                Clock.systemDefaultZone())) {
            URI uri = URI.create("https://127.0.0.1:" + gateway.port() + "/connectors/welfare");
            byte[] document = WelfareOfficeSystem.bytes(WelfareOfficeSystem.notEligible("WEL-2026-000501"));

            HttpResponse<String> asHub = send(keys.client("tsunagi-hub"), uri, "application/xml", document);
            HttpResponse<String> anonymous = send(keys.client(null), uri, "application/xml", document);
            HttpResponse<String> asWelfare = send(keys.client("tsunagi-welfare"), uri, "application/xml", document);

            assertThat(asHub.statusCode()).isEqualTo(401);
            assertThat(record(asHub)).isEqualTo("REJECTED tls.client_not_sender");
            assertThat(asHub.body()).doesNotContain("中村");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(record(anonymous)).isEqualTo("REJECTED tls.client_required");
            assertThat(asWelfare.statusCode()).as(asWelfare.body()).isEqualTo(200);
            assertThat(record(asWelfare)).isEqualTo("ACCEPTED ");
            assertThat(asWelfare.body()).contains("WEL-2026-000501");
            // the route of one's own does not record the client (no tsunagi:client): it takes nothing, whoever posts
            HttpResponse<String> direct = send(keys.client("tsunagi-welfare"),
                    URI.create("https://127.0.0.1:" + gateway.port() + "/connectors/welfare-direct"), "application/xml",
                    WelfareOfficeSystem.bytes(WelfareOfficeSystem.notEligible("WEL-2026-000502")));
            assertThat(direct.statusCode()).isEqualTo(401);
            assertThat(record(direct)).isEqualTo("REJECTED tls.client_required");
        }
    }

    /** gateway.properties with HTTPS on a free port and the given client authentication. */
    private static void writeProperties(TlsTestKeys keys, String clientAuth) throws Exception {
        Files.writeString(keys.conf.resolve("gateway.properties"), String.join("\n",
                "tsunagi.db.url=" + TestDatabases.freshUrl(TestDatabases.Kind.H2),
                "tsunagi.keys.dir=" + keys.keys,
                "tsunagi.http.host=127.0.0.1",
                "tsunagi.http.port=" + TlsTestKeys.freePort(),
                "tsunagi.tls.enabled=true",
                "tsunagi.tls.client-auth=" + clientAuth,
                ""));
    }

    /** The status and code of the first record of a connector's JSON result. */
    private static String record(HttpResponse<String> answer) {
        JsonNode record = JsonCodec.parse(answer.body().getBytes(StandardCharsets.UTF_8)).at("/records/0");
        return record.path("status").asText() + " " + record.path("code").asText("");
    }

    /** Sample F1 (tax desk to the hub) as a fresh message, signed by the tax desk. */
    private static byte[] taxMessage(TlsTestKeys keys) throws Exception {
        ObjectNode message = (ObjectNode) JsonCodec.parse(
                Files.readAllBytes(Path.of("../schemas/samples/F1-tax-to-hub-payment-consultation.json")));
        message.put("messageId", UUID.randomUUID().toString());
        message.put("createdAt", OffsetDateTime.now(JapanTime.OFFSET).truncatedTo(ChronoUnit.SECONDS).minusMinutes(1)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        SigningKey tax = new SigningKey("tsunagi-tax#1", Pem.readPrivateKey(KeyMaterial.privateKeyFile(keys.keys, "tsunagi-tax")));
        return MessageSignatures.sign(JsonCodec.write(message), tax);
    }

    private static HttpResponse<String> send(HttpClient client, URI uri, byte[] body) throws Exception {
        return send(client, uri, "application/json", body);
    }

    private static HttpResponse<String> send(HttpClient client, URI uri, String contentType, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
