package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.schema.signature.KeyMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tsunagi serve} takes the database account from TSUNAGI_DB_USER and TSUNAGI_DB_PASSWORD, as the audit commands
 * do, so that the password need not be written in gateway.properties.
 */
class ServeDatabaseAccountTest {
    private static final String PASSWORD = "only-in-the-environment-7f3a";

    @Test
    void serve_opens_the_database_with_the_account_of_the_environment(@TempDir Path dir) throws Exception {
        try (RecipientSimulator recipient = new RecipientSimulator()) {
            Path keys = dir.resolve("keys");
            String url = "jdbc:h2:file:" + dir.resolve("db/tsunagi");
            Path conf = GatewayFixture.writeConf(dir, keys, recipient, url, false);
            for (String id : GatewayFixture.AGENCIES) {
                KeyMaterial.writeFiles(keys, id, id);
            }
            // the database exists with its own account, which gateway.properties does not name
            Database.open(url, "ops", PASSWORD).close();
            int port = Integer.parseInt(Files.readAllLines(conf.resolve("gateway.properties")).stream()
                    .filter(l -> l.startsWith("tsunagi.http.port=")).findFirst().orElseThrow().split("=")[1]);

            Process without = serve(dir, conf, Map.of());
            assertThat(without.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(without.exitValue()).isEqualTo(2);

            Process with = serve(dir, conf, Map.of("TSUNAGI_DB_USER", "ops", "TSUNAGI_DB_PASSWORD", PASSWORD));
            try {
                assertThat(awaitHealth(port, with)).as(log(dir)).isEqualTo(200);
            } finally {
                with.destroy();
                with.waitFor();
            }
            assertThat(log(dir)).doesNotContain(PASSWORD);
        }
    }

    private static Process serve(Path dir, Path conf, Map<String, String> environment) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "jp.tsunagi.gateway.cli.TsunagiCli", "serve", "--conf", conf.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("gateway.log").toFile()));
        builder.environment().remove("TSUNAGI_DB_USER");
        builder.environment().remove("TSUNAGI_DB_PASSWORD");
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** The status of GET /api/v1/health once the gateway answers (0 if it exited first). */
    private static int awaitHealth(int port, Process process) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/health")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        return 0;
    }

    private static String log(Path dir) throws Exception {
        Path log = dir.resolve("gateway.log");
        return Files.isRegularFile(log) ? Files.readString(log) : "";
    }
}
