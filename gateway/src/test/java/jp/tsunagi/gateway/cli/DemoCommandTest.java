package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @Test
    void theDemoSendsEveryFlowF1ToF10ThroughTheGatewayToTheSimulatedAgenciesShowsTheRefusalsAndAnIntactAuditTrail(@TempDir Path dir)
            throws Exception {
        Path conf = defaultConfIn(dir);
        CliRun run = CliRun.run("demo", "--exit", "--conf", conf.toString(), "--samples", "../schemas/samples");
        int exit = run.exit();
        String story = run.out();

        assertThat(exit).as(story).isZero();
        for (int flow = 1; flow <= 10; flow++) {
            assertThat(story).containsPattern("(?m)^   F" + flow + " .*202 受付, audit #[0-9]+\\]$");
        }
        assertThat(story).contains("REFERRAL (removed [HEALTH])", "CONSENT_WITHDRAWAL",
                "403 consent.category_missing", "403 consent.withdrawn", "401 signature.invalid", "401 signature.sender_mismatch",
                "Audit trail (監査ログ): intact", "Every flow behaved as expected.");
    }

    /** The default conf/, its keys, database and every port moved into the test's directory. */
    private static Path defaultConfIn(Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        String agencies = Files.readString(Path.of("../conf/agencies.yaml")).replace("data/keys/", dir.resolve("keys") + "/");
        for (int port = 18081; port <= 18085; port++) {
            agencies = agencies.replace("127.0.0.1:" + port + "/", "127.0.0.1:" + freePort() + "/");
        }
        Files.writeString(conf.resolve("agencies.yaml"), agencies);
        Files.copy(Path.of("../conf/policy.yaml"), conf.resolve("policy.yaml"));
        Files.writeString(conf.resolve("gateway.properties"), "tsunagi.db.url=jdbc:h2:file:" + dir.resolve("data/tsunagi") + "\n"
                + "tsunagi.keys.dir=" + dir.resolve("keys") + "\ntsunagi.http.port=" + freePort() + "\n");
        return conf;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
