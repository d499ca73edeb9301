package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.intake.RecipientSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console from the shaded jar, as {@code bin/tsunagi serve} runs it: its templates, messages and stylesheet are in
 * the jar, and an account added with the jar's {@code admin user add} (Argon2id from Bouncy Castle) is listed.
 */
class PackagedConsoleIT {
    @Test
    void theShadedJarServesTheConsoleAndManagesAccounts(@TempDir Path dir) throws Exception {
        // the fixture's conf/ (agencies of つなぎ市, a free port, an H2 file database); its agency systems are not needed
        Path conf;
        try (RecipientSimulator unused = new RecipientSimulator()) {
            conf = GatewayFixture.writeConf(dir, dir.resolve("keys"), unused, "jdbc:h2:file:" + dir.resolve("data/tsunagi"), false);
        }
        assertThat(jar(dir, null, "keys", "init", "--dir", dir.resolve("keys").toString(), "--conf", conf.toString()))
                .isZero();
        Process serve = start(dir, "serve", "--conf", conf.toString());
        try {
            String port = Files.readAllLines(conf.resolve("gateway.properties")).stream()
                    .filter(l -> l.startsWith("tsunagi.http.port=")).findFirst().orElseThrow().substring(18);
            HttpResponse<String> login = getWhenUp("http://127.0.0.1:" + port + "/admin/login", serve, dir);
            HttpResponse<String> css = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/admin/console.css")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("<html lang=\"ja\">", "ログイン名", "パスワード", "name=\"_csrf\"");
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(css.body()).contains("--key: #0017c1");
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(jar(dir, "correct horse battery staple\n", "admin", "user", "add", "suzuki", "--role", "auditor",
                "--password-stdin", "--conf", conf.toString(), "--actor", "yamada")).isZero();
        Path list = dir.resolve("list.out");
        assertThat(jar(dir, null, list, "admin", "user", "list", "--conf", conf.toString())).isZero();
        assertThat(Files.readString(list, StandardCharsets.UTF_8)).startsWith("suzuki\tauditor\tactive");
    }

    /** GET once serve says it listens (it says so after every route, the console's included, is up). */
    private static HttpResponse<String> getWhenUp(String url, Process serve, Path dir) throws Exception {
        Path out = dir.resolve("serve.out");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!Files.readString(out, StandardCharsets.UTF_8).contains("tsunagi: listening on")) {
            if (!serve.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("the gateway did not start: " + Files.readString(out, StandardCharsets.UTF_8));
            }
            Thread.sleep(200); // polling the output for the event, not a proof of anything
        }
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Process start(Path dir, String... args) throws IOException {
        return new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve.out").toFile()).start();
    }

    private static int jar(Path dir, String stdin, String... args) throws Exception {
        return jar(dir, stdin, dir.resolve("jar.out"), args);
    }

    private static int jar(Path dir, String stdin, Path output, String... args) throws Exception {
        Process p = new ProcessBuilder(command(args)).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return p.exitValue();
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/tsunagi.jar"));
        command.addAll(List.of(args));
        return command;
    }
}
