package jp.tsunagi.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpRoutesTest {
    private static final AtomicReference<String> seenContentType = new AtomicReference<>();
    private static GatewayServer server;
    private static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Intake fake = new Intake() {
            @Override
            public Answer submit(byte[] body, String contentType, String clientAgency) {
                seenContentType.set(contentType);
                if (body.length == 0) {
                    throw new IllegalStateException("secret 山田太郎 inside");
                }
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
        server = GatewayServer.start(fake, "127.0.0.1", freePort(), 2 * 1024 * 1024);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSubmittedMessageReachesTheIntakeAndItsAnswerIsReturnedWithoutEchoingRequestHeaders() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/api/v1/messages"))
                .header("Content-Type", "application/json")
                .header("CamelHttpResponseCode", "299")
                .header("X-Person", "yamada")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"ok\":true}");
        assertThat(seenContentType.get()).isEqualTo("application/json");
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("camel") || h.equalsIgnoreCase("x-person"));
    }

    @Test
    void anUnexpectedFailureIsA500ProblemWithoutItsMessageOrStackTrace() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/api/v1/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("gateway.internal_error").doesNotContain("山田").doesNotContain("Exception");
    }

    @Test
    void theOpenApiDocumentHealthAndMetricsAreServed() throws Exception {
        assertThat(get("/openapi.json").body()).contains("\"openapi\"").contains("/api/v1/messages");
        assertThat(get("/api/v1/health").body()).contains("UP");
        assertThat(get("/metrics").body()).contains("tsunagi_up 1");
        assertThat(get("/api/v1/referrals/REF-1").body()).contains("REF-1");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
