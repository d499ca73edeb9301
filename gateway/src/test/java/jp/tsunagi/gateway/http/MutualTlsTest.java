package jp.tsunagi.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import jp.tsunagi.schema.codec.JsonCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP interface over TLS: one server per client-auth mode, clients with and without certificates. */
class MutualTlsTest {
    @TempDir
    static Path dir;

    private static final AtomicInteger submits = new AtomicInteger();
    private static final AtomicReference<String> seenClientAgency = new AtomicReference<>();
    private static TlsTestKeys keys;
    private static GatewayServer none;
    private static GatewayServer require;
    private static GatewayServer want;

    @BeforeAll
    static void start() throws Exception {
        keys = new TlsTestKeys(dir);
        Intake fake = new Intake() {
            @Override
            public Answer submit(byte[] body, String contentType, String clientAgency) {
                submits.incrementAndGet();
                seenClientAgency.set(clientAgency);
                return Answer.of(202, "application/json", "{\"ok\":true}");
            }

            @Override
            public Answer referral(String referralId, String authorization) {
                return Answer.of(200, "application/json", "{\"referralId\":\"" + referralId + "\"}");
            }

            @Override
            public Answer health() {
                return Answer.of(200, "application/json", "{\"status\":\"UP\"}");
            }

            @Override
            public Answer metrics() {
                return Answer.of(200, "text/plain; version=0.0.4", "tsunagi_up 1\n");
            }
        };
        none = start(fake, keys.serverTls(TlsSettings.ClientAuth.NONE, List.of()));
        require = start(fake, keys.serverTls(TlsSettings.ClientAuth.REQUIRE, List.of()));
        // a CA-like trust list: it also trusts a stranger and a certificate that only names tsunagi-tax
        want = start(fake, keys.serverTls(TlsSettings.ClientAuth.WANT, List.of(keys.certificate("tsunagi-tax"),
                keys.certificate("stranger"), keys.certificate("fake-tax"))));
    }

    private static GatewayServer start(Intake intake, ServerTls tls) throws Exception {
        return GatewayServer.start(intake, "127.0.0.1", TlsTestKeys.freePort(), 2 * 1024 * 1024, tls, null);
    }

    @AfterAll
    static void stop() {
        for (GatewayServer server : new GatewayServer[] {none, require, want}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @BeforeEach
    void reset() {
        submits.set(0);
        seenClientAgency.set("not called");
    }

    @Test
    void withoutClientAuthenticationHttpsServesTheApiOverTls13Or12AndNoClientAgencyIsBound() throws Exception {
        HttpResponse<String> response = post(keys.client("tsunagi-tax"), none);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.3"));
        assertThat(submits.get()).isEqualTo(1);
        assertThat(seenClientAgency.get()).isNull();

        HttpResponse<String> tls12 = post(keys.client(null, "TLSv1.2"), none);
        assertThat(tls12.statusCode()).isEqualTo(202);
        assertThat(tls12.sslSession()).hasValueSatisfying(s -> assertThat(s.getProtocol()).isEqualTo("TLSv1.2"));
        assertThat(get(keys.client(null), none, "/api/v1/health").body()).contains("UP");
    }

    @Test
    void plainHttpIsNotServedOnTheTlsPort() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + none.port() + "/api/v1/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build();

        assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        assertThat(submits.get()).isZero();
    }

    @Test
    void withClientAuthRequireTheTaxDesksCertificateBindsTheRequestToTsunagiTax() throws Exception {
        HttpResponse<String> response = post(keys.client("tsunagi-tax"), require);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(seenClientAgency.get()).isEqualTo("tsunagi-tax");

        post(keys.client("tsunagi-hub", "TLSv1.2"), require);
        assertThat(seenClientAgency.get()).isEqualTo("tsunagi-hub");
    }

    @Test
    void withClientAuthRequireAClientWithoutCertificateDoesNotGetThrough() throws Exception {
        HttpClient anonymous = keys.client(null);

        assertThatThrownBy(() -> post(anonymous, require)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> post(keys.client(null, "TLSv1.2"), require)).isInstanceOf(IOException.class);
        assertThat(submits.get()).isZero();
    }

    @Test
    void withClientAuthRequireACertificateThatIsNotTrustedFailsTheHandshake() throws Exception {
        HttpClient stranger = keys.client("stranger");

        assertThatThrownBy(() -> post(stranger, require)).isInstanceOf(IOException.class);
        assertThat(submits.get()).isZero();
    }

    @Test
    void aTrustedCertificateOfAnUnregisteredKeyIsRefusedWith401ClientUnknown() throws Exception {
        HttpResponse<String> response = post(keys.client("stranger"), want);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(problemCode(response)).isEqualTo("tls.client_unknown");
        assertThat(submits.get()).isZero();
        assertThat(get(keys.client("stranger"), want, "/api/v1/referrals/REF-1").statusCode()).isEqualTo(401);
    }

    @Test
    void aCertificateNamingAnAgencyButCarryingAnotherKeyIsNotThatAgency() throws Exception {
        HttpResponse<String> response = post(keys.client("fake-tax"), want);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(problemCode(response)).isEqualTo("tls.client_unknown");
        assertThat(submits.get()).isZero();
    }

    @Test
    void withClientAuthWantAClientWithoutCertificateIsServedOnItsSignatureAlone() throws Exception {
        HttpResponse<String> anonymous = post(keys.client(null), want);
        assertThat(anonymous.statusCode()).isEqualTo(202);
        assertThat(seenClientAgency.get()).isNull();

        HttpResponse<String> tax = post(keys.client("tsunagi-tax"), want);
        assertThat(tax.statusCode()).isEqualTo(202);
        assertThat(seenClientAgency.get()).isEqualTo("tsunagi-tax");
    }

    @Test
    void aRequestHeaderCannotClaimAClientAgency() throws Exception {
        HttpResponse<String> response = keys.client(null).send(HttpRequest.newBuilder(uri(want, "/api/v1/messages"))
                .header("Content-Type", "application/json")
                .header("TsunagiClientAgency", "tsunagi-tax")
                .header("X-Client-Certificate", "tsunagi-tax")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(seenClientAgency.get()).isNull();
    }

    static String problemCode(HttpResponse<String> response) {
        return JsonCodec.parse(response.body().getBytes(StandardCharsets.UTF_8)).get("code").asText();
    }

    private static HttpResponse<String> post(HttpClient client, GatewayServer server) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(server, "/api/v1/messages")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient client, GatewayServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(server, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(GatewayServer server, String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }
}
