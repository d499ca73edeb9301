package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.validation.MessageReader;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real gateway process while copies are in flight, then a restart: nothing acknowledged with 202 is
 * lost, and the recipient's idempotent receiver processes each copy once. On an H2 file and on PostgreSQL.
 */
class CrashRecoveryTest {
    private static final int MESSAGES = 12;
    private final HttpClient client = HttpClient.newHttpClient();

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void killingTheGatewayMidDeliveryLosesNothingAcknowledgedAndTheRecipientProcessesEachCopyOnce(TestDatabases.Kind kind,
            @TempDir Path dir) throws Exception {
        try (RecipientSimulator recipient = new RecipientSimulator()) {
            recipient.delay(150);
            Path keys = dir.resolve("keys");
            boolean postgres = kind == TestDatabases.Kind.POSTGRESQL;
            String url = postgres ? TestDatabases.freshUrl(kind) : "jdbc:h2:file:" + dir.resolve("db/tsunagi");
            Path conf = GatewayFixture.writeConf(dir, keys, recipient, url, postgres);
            Files.writeString(conf.resolve("gateway.properties"), "tsunagi.delivery.lease=4s\ntsunagi.delivery.connect-timeout=1s\ntsunagi.delivery.workers=1\n",
                    java.nio.file.StandardOpenOption.APPEND);
            for (String id : GatewayFixture.AGENCIES) {
                KeyMaterial.writeFiles(keys, id, id);
            }
            TestMessages signer = new TestMessages(keys);
            int port = Integer.parseInt(Files.readAllLines(conf.resolve("gateway.properties")).stream()
                    .filter(l -> l.startsWith("tsunagi.http.port=")).findFirst().orElseThrow().split("=")[1]);

            Process first = startGateway(dir, conf);
            Set<String> acknowledged = new HashSet<>();
            try {
                awaitHealthy(port, first, dir);
                for (int i = 0; i < MESSAGES; i++) {
                    int n = i;
                    ObjectNode message = signer.sample("F6-", m -> m.put("referralId", "REF-2026-" + (100000 + n)));
                    HttpResponse<byte[]> answer = post(port, MessageSignatures.sign(JsonCodec.write(message), signer.key("tsunagi-hellowork")));
                    assertThat(answer.statusCode()).isEqualTo(202);
                    acknowledged.add(message.get("messageId").asText());
                }
                awaitAtLeast(recipient, 2);
            } finally {
                first.destroyForcibly().waitFor();   // SIGKILL: no shutdown hook, no graceful stop
            }
            assertThat(recipient.processedBy("tsunagi-hub").size()).as("some copies were still in flight").isLessThan(MESSAGES);

            Process second = startGateway(dir, conf);
            try {
                awaitHealthy(port, second, dir);
                awaitAtLeast(recipient, MESSAGES);
                Thread.sleep(500);
            } catch (AssertionError e) {
                second.destroy();
                second.waitFor();
                throw new AssertionError(e.getMessage() + "\noutbox: " + outbox(postgres ? url : url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", postgres)
                        + "\nlog:\n" + log(dir), e);
            } finally {
                second.destroy();
                second.waitFor();
            }
            Map<String, Integer> processedPerOriginal = new HashMap<>();
            for (RecipientSimulator.Received copy : recipient.processedBy("tsunagi-hub")) {
                String original = new MessageReader().read(copy.body()).getProvenance().getOriginalMessageId();
                processedPerOriginal.merge(original, 1, Integer::sum);
            }
            assertThat(processedPerOriginal.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
            assertThat(processedPerOriginal.values()).allMatch(n -> n == 1);
        }
    }

    /** The gateway as its own process, with the test classpath, as `tsunagi serve` runs it. */
    private static Process startGateway(Path dir, Path conf) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "jp.tsunagi.gateway.cli.TsunagiCli",
                "serve", "--conf", conf.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("gateway.log").toFile())
                .start();
    }

    private void awaitHealthy(int port, Process process, Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the gateway exited with " + process.exitValue() + ":\n" + log(dir));
            }
            try {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/health"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the gateway did not become healthy");
    }

    private static String outbox(String url, boolean postgres) {
        StringBuilder rows = new StringBuilder();
        try (var c = java.sql.DriverManager.getConnection(url, postgres ? "postgres" : null, postgres ? "postgres" : null);
             var rs = c.createStatement().executeQuery("SELECT status, attempts, last_error_code, claimed_until FROM outbox ORDER BY id")) {
            while (rs.next()) {
                rows.append(rs.getString(1)).append('/').append(rs.getInt(2)).append('/').append(rs.getString(3))
                        .append('/').append(rs.getString(4)).append("; ");
            }
        } catch (java.sql.SQLException e) {
            rows.append(e.getMessage());
        }
        return rows.toString();
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("gateway.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }

    private HttpResponse<byte[]> post(int port, byte[] body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/messages"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void awaitAtLeast(RecipientSimulator recipient, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (recipient.processedBy("tsunagi-hub").size() < n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(recipient.processedBy("tsunagi-hub").size()).isGreaterThanOrEqualTo(n);
    }
}
