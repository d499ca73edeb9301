package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.Map;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.intake.RecipientSimulator;
import jp.tsunagi.gateway.intake.ServeProcess;
import jp.tsunagi.schema.signature.KeyMaterial;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The product jar's serve, stopped as a service manager (SIGTERM) or an operator (Ctrl-C) stops it: exit code 0. */
class ServeShutdownIT {
    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void serveClosesCleanlyAndExitsWith0WhenStoppedBy(String signal, @TempDir Path dir) throws Exception {
        try (RecipientSimulator recipients = new RecipientSimulator()) {
            Path keys = dir.resolve("keys");
            Path conf = GatewayFixture.writeConf(dir, keys, recipients, "jdbc:h2:file:" + dir.resolve("data/tsunagi"), false);
            for (String id : GatewayFixture.AGENCIES) {
                KeyMaterial.writeFiles(keys, id, id);
            }
            try (ServeProcess serve = ServeProcess.fromJar(dir, conf, Map.of())) {
                assertThat(serve.awaitHealth()).as(serve.log()).isEqualTo(200);
                assumeFalse(serve.ignores(signal), "this test runs as a job that ignores SIG" + signal + ", and so does serve");

                serve.signal(signal);

                assertThat(serve.awaitExit()).as(serve.log()).isZero();
                assertThat(serve.log()).contains("tsunagi: stopped").doesNotContain("Exception");
            }
        }
    }
}
