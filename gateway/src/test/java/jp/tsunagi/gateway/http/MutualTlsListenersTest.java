package jp.tsunagi.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagi.connectors.simulator.WelfareOfficeSystem;
import jp.tsunagi.gateway.app.Gateway;
import jp.tsunagi.gateway.app.GatewaySettings;
import jp.tsunagi.gateway.connect.ConnectorConf;
import jp.tsunagi.gateway.delivery.DeliveryResult;
import jp.tsunagi.gateway.intake.TestMessages;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.gateway.store.TestDatabases.Kind;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.MessageSignatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutual TLS negatives on every path family of the gateway's one HTTPS listener (issue 15): the API
 * ({@code /api/v1/messages}), the console ({@code /admin}) and a connector HTTP source ({@code /connectors/welfare},
 * which the connector signs as the welfare office). Each client is refused as documented (docs/integrator-guide.md
 * section 5, docs/connectors.md), a refusal that reaches the gateway is audited, and nothing is accepted or signed.
 * The clients: the agencies' own certificates, a municipal CA that the gateway trusts, a stranger's CA it does not,
 * and expired certificates of a registered key (issued by the CA, or the agency's own self-signed one left in the
 * trust list). One gateway per store with {@code client-auth=want}, one with {@code require}.
 */
class MutualTlsListenersTest {
    private static final String CA = "O=Tsunagi City,CN=municipal CA";
    private static final String ROGUE_CA = "O=Elsewhere,CN=stranger CA";
    private static final String KINDS = "jp.tsunagi.gateway.store.TestDatabases#kinds";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @TempDir
    static Path dir;

    private static final Map<Kind, Listener> WANT = new EnumMap<>(Kind.class);
    private static Listener require;

    @AfterAll
    static void stop() {
        WANT.values().forEach(Listener::close);
        if (require != null) {
            require.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void aCertificateFromACaTheGatewayDoesNotTrustFailsTheHandshakeOnEveryPathEvenCarryingARegisteredKey(Kind kind) throws Exception {
        Listener g = want(kind);
        long stored = g.messages();

        for (String client : List.of("rogue-welfare", "stranger")) {
            g.assertHandshakeRefusedOnEveryPath(client);
        }
        assertThat(g.messages()).as("messages accepted or signed").isEqualTo(stored);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void anExpiredCertificateOfARegisteredKeyFailsTheHandshakeOnEveryPathAlsoWhenItIsItselfTrusted(Kind kind) throws Exception {
        Listener g = want(kind);
        long stored = g.messages();

        // issued by the trusted CA and expired; the agency's own self-signed certificate, expired, left in the trust list
        for (String client : List.of("ca-expired-welfare", "expired-welfare")) {
            g.assertHandshakeRefusedOnEveryPath(client);
        }
        assertThat(g.messages()).as("messages accepted or signed").isEqualTo(stored);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void aTrustedCertificateOfAKeyNoAgencyRegisteredIsRefused401ClientUnknownAndAuditedAndIsNoConsoleLogin(Kind kind) throws Exception {
        Listener g = want(kind);
        long stored = g.messages();
        long audited = g.rejected("tls.client_unknown");

        HttpResponse<String> api = g.api("ca-stranger", g.welfareMessage());
        HttpResponse<String> connector = g.connector("ca-stranger");

        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(MutualTlsTest.problemCode(api)).isEqualTo("tls.client_unknown");
        assertThat(connector.statusCode()).isEqualTo(401);
        assertThat(record(connector)).isEqualTo("REJECTED tls.client_unknown");
        assertThat(g.console("ca-stranger")).isEqualTo("303 /admin/login");
        assertThat(g.rejected("tls.client_unknown")).as("refusals audited (API and connector)").isEqualTo(audited + 2);
        assertThat(g.messages()).as("messages accepted or signed").isEqualTo(stored);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void aMessageOfOneAgencyOverAConnectionAuthenticatedAsAnotherIsRefused401NotSenderAndAudited(Kind kind) throws Exception {
        Listener g = want(kind);
        long stored = g.messages();
        long audited = g.rejected("tls.client_not_sender");

        // signed by the welfare office, its signature valid, sent over the tax desk's certificate
        HttpResponse<String> api = g.api("tsunagi-tax", g.welfareMessage());
        // the welfare office's own document, posted with the tax desk's certificate
        HttpResponse<String> connector = g.connector("tsunagi-tax");

        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(MutualTlsTest.problemCode(api)).isEqualTo("tls.client_not_sender");
        assertThat(connector.statusCode()).isEqualTo(401);
        assertThat(record(connector)).isEqualTo("REJECTED tls.client_not_sender");
        assertThat(connector.body()).doesNotContain("中村");
        assertThat(g.console("tsunagi-tax")).isEqualTo("303 /admin/login");
        assertThat(g.rejected("tls.client_not_sender")).as("refusals audited (API and connector)").isEqualTo(audited + 2);
        assertThat(g.messages()).as("messages accepted or signed").isEqualTo(stored);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void withoutACertificateAConnectorSourceRefuses401ClientRequiredAuditedAndTheConsoleAsksForALogin(Kind kind) throws Exception {
        Listener g = want(kind);
        long stored = g.messages();
        long audited = g.rejected("tls.client_required");

        HttpResponse<String> connector = g.connector(null);

        assertThat(connector.statusCode()).isEqualTo(401);
        assertThat(record(connector)).isEqualTo("REJECTED tls.client_required");
        assertThat(g.console(null)).isEqualTo("303 /admin/login");
        assertThat(g.rejected("tls.client_required")).as("refusal audited").isEqualTo(audited + 1);
        assertThat(g.messages()).as("messages accepted or signed").isEqualTo(stored);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void theAgencysOwnCertificateIsTakenOnTheApiAndItsConnectorButLogsNobodyIntoTheConsole(Kind kind) throws Exception {
        Listener g = want(kind);
        long stored = g.messages();

        HttpResponse<String> api = g.api("tsunagi-welfare", g.welfareMessage());
        HttpResponse<String> connector = g.connector("tsunagi-welfare");

        assertThat(api.statusCode()).as(api.body()).isEqualTo(202);
        assertThat(connector.statusCode()).as(connector.body()).isEqualTo(200);
        assertThat(record(connector)).isEqualTo("ACCEPTED ");
        assertThat(g.console("tsunagi-welfare")).isEqualTo("303 /admin/login");
        assertThat(g.messages()).isEqualTo(stored + 2);
    }

    @Test
    void withClientAuthRequireNoCertificateAnUnknownCaOrAnExpiredCertificateGetsThroughOnNoPath() throws Exception {
        Listener g = require();
        long stored = g.messages();

        for (String client : new String[] {null, "rogue-welfare", "stranger", "ca-expired-welfare", "expired-welfare"}) {
            g.assertHandshakeRefusedOnEveryPath(client);
        }
        assertThat(g.messages()).as("messages accepted or signed").isEqualTo(stored);
        // the same listener serves the agency's own certificate
        assertThat(g.api("tsunagi-welfare", g.welfareMessage()).statusCode()).isEqualTo(202);
    }

    private static synchronized Listener want(Kind kind) throws Exception {
        Listener g = WANT.get(kind);
        if (g == null) {
            g = new Listener(dir.resolve("want-" + kind), kind, "want");
            WANT.put(kind, g);
        }
        return g;
    }

    private static synchronized Listener require() throws Exception {
        if (require == null) {
            require = new Listener(dir.resolve("require"), Kind.H2, "require");
        }
        return require;
    }

    /** The status and code of the first record of a connector's JSON result. */
    private static String record(HttpResponse<String> answer) {
        JsonNode record = JsonCodec.parse(answer.body().getBytes(StandardCharsets.UTF_8)).at("/records/0");
        return record.path("status").asText() + " " + record.path("code").asText("");
    }

    /** A real gateway over HTTPS with client certificates, the welfare office's HTTP source as shipped, and its clients. */
    private static final class Listener implements AutoCloseable {
        final TlsTestKeys keys;
        final TestMessages messages;
        final Gateway gateway;

        Listener(Path dir, Kind kind, String clientAuth) throws Exception {
            keys = new TlsTestKeys(dir);
            messages = new TestMessages(keys.keys);
            List<Path> trust = clients(keys);
            Files.writeString(keys.conf.resolve("gateway.properties"), String.join("\n",
                    "tsunagi.db.url=" + TestDatabases.freshUrl(kind),
                    kind == Kind.POSTGRESQL ? "tsunagi.db.user=postgres\ntsunagi.db.password=postgres" : "",
                    "tsunagi.keys.dir=" + keys.keys,
                    "tsunagi.http.host=127.0.0.1",
                    "tsunagi.http.port=" + TlsTestKeys.freePort(),
                    "tsunagi.tls.enabled=true",
                    "tsunagi.tls.client-auth=" + clientAuth,
                    "tsunagi.tls.trust=" + String.join(",", trust.stream().map(Path::toString).toList()),
                    ""));
            ConnectorConf.copyMappings(keys.conf);
            ConnectorConf.route(keys.conf, "welfare-office.yaml", Files.readString(Path.of("../conf/routes/welfare-office.yaml")));
            gateway = Gateway.start(GatewaySettings.load(keys.conf), item -> DeliveryResult.delivered(200), Clock.systemDefaultZone());
        }

        /**
         * Writes the clients beyond the agencies' own and returns what the gateway trusts: the municipal CA, every
         * agency's own certificate, and the welfare office's previous certificate, which has expired.
         */
        private static List<Path> clients(TlsTestKeys keys) throws Exception {
            Instant now = Instant.now();
            Instant later = now.plus(Duration.ofDays(1));
            Instant longAgo = now.minus(Duration.ofDays(400));
            Instant yesterday = now.minus(Duration.ofDays(1));
            KeyPair ca = KeyMaterial.generateP256();
            KeyPair rogue = KeyMaterial.generateP256();
            KeyPair strangerKey = KeyMaterial.generateP256();
            KeyPair welfare = keys.keyPair("tsunagi-welfare");
            keys.writeIdentity("municipal-ca", ca.getPrivate(), TlsTestKeys.issue(CA, ca.getPublic(), CA, ca.getPrivate(), now.minus(Duration.ofDays(1)), later, true));
            keys.writeIdentity("ca-stranger", strangerKey.getPrivate(), TlsTestKeys.issue("O=Tsunagi City,CN=someone", strangerKey.getPublic(), CA, ca.getPrivate(), now.minus(Duration.ofMinutes(5)), later, false));
            keys.writeIdentity("ca-expired-welfare", welfare.getPrivate(), TlsTestKeys.issue("O=Tsunagi City,CN=tsunagi-welfare", welfare.getPublic(), CA, ca.getPrivate(), longAgo, yesterday, false));
            keys.writeIdentity("rogue-welfare", welfare.getPrivate(), TlsTestKeys.issue("O=Tsunagi City,CN=tsunagi-welfare", welfare.getPublic(), ROGUE_CA, rogue.getPrivate(), now.minus(Duration.ofMinutes(5)), later, false));
            String previous = "O=Tsunagi,OU=2025,CN=tsunagi-welfare";
            keys.writeIdentity("expired-welfare", welfare.getPrivate(), TlsTestKeys.issue(previous, welfare.getPublic(), previous, welfare.getPrivate(), longAgo, yesterday, false));
            List<Path> trust = new ArrayList<>(List.of(keys.certificate("municipal-ca"), keys.certificate("expired-welfare")));
            for (String id : TlsTestKeys.IDS) {
                trust.add(keys.certificate(id));
            }
            return trust;
        }

        /** A fresh referral of the welfare office (sample F2), signed by it. */
        byte[] welfareMessage() throws Exception {
            var message = messages.sample("F2-", m -> m.put("referralId", "REF-2026-" + (300000 + SEQUENCE.incrementAndGet())));
            return MessageSignatures.sign(JsonCodec.write(message), messages.key("tsunagi-welfare"));
        }

        HttpResponse<String> api(String client, byte[] message) throws Exception {
            return keys.client(client).send(HttpRequest.newBuilder(uri("/api/v1/messages")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build(), HttpResponse.BodyHandlers.ofString());
        }

        /** The welfare office's own XML document (保護相談連携票), posted to its connector. */
        HttpResponse<String> connector(String client) throws Exception {
            byte[] document = WelfareOfficeSystem.bytes(WelfareOfficeSystem.notEligible("WEL-2026-" + (300000 + SEQUENCE.incrementAndGet())));
            return keys.client(client).send(HttpRequest.newBuilder(uri(WelfareOfficeSystem.GATEWAY_PATH))
                    .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofByteArray(document)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** The console's answer to its start page: status and where it sends the client. */
        String console(String client) throws Exception {
            HttpResponse<String> answer = keys.client(client).send(HttpRequest.newBuilder(uri("/admin/")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() + " " + answer.headers().firstValue("Location").orElse("");
        }

        void assertHandshakeRefusedOnEveryPath(String client) {
            assertThatExceptionOfType(IOException.class).as("API, client " + client).isThrownBy(() -> api(client, welfareMessage()));
            assertThatExceptionOfType(IOException.class).as("console, client " + client).isThrownBy(() -> console(client));
            assertThatExceptionOfType(IOException.class).as("connector, client " + client).isThrownBy(() -> connector(client));
        }

        long messages() throws Exception {
            return number("SELECT COUNT(*) FROM message");
        }

        /** The audit entries of refusals with that code. */
        long rejected(String code) throws Exception {
            gateway.awaitAuditChained();
            return number("SELECT COUNT(*) FROM audit_entry WHERE action = 'REJECTED' AND code = '" + code + "'");
        }

        private long number(String sql) throws Exception {
            try (var c = gateway.database().dataSource().getConnection(); var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private URI uri(String path) {
            return URI.create("https://127.0.0.1:" + gateway.port() + path);
        }

        @Override
        public void close() {
            gateway.close();
        }
    }
}
