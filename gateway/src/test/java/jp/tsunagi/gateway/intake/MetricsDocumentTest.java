package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.codec.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example of GET /metrics in openapi.json shows series the gateway really exports, with their labels. */
class MetricsDocumentTest {
    @Test
    void everySeriesOfTheOpenApiMetricsExampleIsExportedAfterAnAcceptedRefusedAndDeliveredMessage(@TempDir Path dir) throws Exception {
        List<String> series;
        try (InputStream in = TsunagiSchema.resource(TsunagiSchema.OPENAPI_RESOURCE)) {
            JsonNode example = JsonCodec.mapper().readTree(in).at("/paths/~1metrics/get/responses/200/content/text~1plain/example");
            // each sample line without its value: name and labels
            series = example.asText().lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                    .map(line -> line.substring(0, line.lastIndexOf(' '))).toList();
        }
        assertThat(series).isNotEmpty();
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            assertThat(g.send(g.sample("F1-")).statusCode()).isEqualTo(202);
            assertThat(g.send(g.sample("F2-", m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m.at("/referral/basis/consent"))
                    .put("expiresAt", daysAgo(1)).put("obtainedAt", daysAgo(60)))).statusCode())
                    .isEqualTo(403);

            String metrics = "";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && !series.stream().allMatch(metrics::contains)) {
                Thread.sleep(50);
                metrics = g.get("/metrics", null).body();
            }
            String exported = metrics;
            assertThat(series).allSatisfy(s -> assertThat(exported).contains(s + " "));
        }
    }

    private static String daysAgo(int days) {
        return java.time.OffsetDateTime.now(jp.tsunagi.schema.JapanTime.OFFSET).minusDays(days).withNano(0).format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
