package jp.tsunagi.connectors.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The simulated agency system that receives the gateway's copies")
class SimulatedAgencyTest {

    private static HttpResponse<byte[]> post(SimulatedAgency agency, String key, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(agency.endpoint())
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void keepsEachCopyOncePerIdempotencyKeyAndAnswers200WithoutBody() throws Exception {
        try (SimulatedAgency agency = SimulatedAgency.start("hellowork", 0, "/receive")) {
            HttpResponse<byte[]> first = post(agency, "k-1", "{\"n\":1}");
            HttpResponse<byte[]> repeat = post(agency, "k-1", "{\"n\":1}");
            post(agency, "k-2", "{\"n\":2}");

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(repeat.statusCode()).isEqualTo(200);
            assertThat(first.body()).isEmpty();
            assertThat(agency.received()).extracting(SimulatedAgency.Received::idempotencyKey).containsExactly("k-1", "k-2");
            assertThat(agency.received().get(1).contentType()).isEqualTo("application/json");
            assertThat(new String(agency.received().get(1).body(), UTF_8)).isEqualTo("{\"n\":2}");
            assertThat(agency.agencyId()).isEqualTo("hellowork");
        }
    }
}
