package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @Test
    void theDemoSendsEveryFlowF1ToF10ThroughTheGatewayToTheSimulatedAgenciesShowsTheRefusalsAndAnIntactAuditTrail(@TempDir Path dir)
            throws Exception {
        Path conf = defaultConfIn(dir);
        CliRun run = CliRun.run("demo", "--exit", "--conf", conf.toString(), "--samples", "../schemas/samples",
                "--exchange", dir.resolve("data/exchange").toString());
        int exit = run.exit();
        String story = run.out();

        assertThat(exit).as(story + run.err()).isZero();
        for (int flow = 1; flow <= 10; flow++) {
            assertThat(story).containsPattern("(?m)^   F" + flow + " .*(202 受付, audit #[0-9]+|: ACCEPTED)\\]$");
        }
        assertThat(story).contains(
                "つなぎ市福祉事務所: 3 — REFERRAL by application/xml POST; REFERRAL by application/xml POST; "
                        + "CONSENT_WITHDRAWAL by application/xml POST",
                "ハローワークつなぎ: 2 — REFERRAL in referral.csv; STATUS_UPDATE in status-update.csv",
                "つなぎ市中央地域包括支援センター: 1 — STATUS_UPDATE by application/json POST",
                "つなぎ市税務課: 2 — REFERRAL in referral.dat; STATUS_UPDATE in status-update.dat",
                "Minimized (最小化) before it reached ハローワークつなぎ: HEALTH removed",
                "403 consent.category_missing", "403 consent.withdrawn", "401 signature.invalid", "401 signature.sender_mismatch",
                "Audit trail (監査ログ): intact", "Every flow behaved as expected.");
    }

    /** The default conf/, its keys, database and every port moved into the test's directory. */
    private static Path defaultConfIn(Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Map<String, String> moved = new LinkedHashMap<>();
        moved.put("data/keys/", dir.resolve("keys") + "/");
        moved.put("data/exchange/", dir.resolve("data/exchange") + "/");
        for (int port : new int[] {18081, 18082, 18083, 18084, 18085, 18022}) {
            int free = freePort();
            moved.put("127.0.0.1:" + port, "127.0.0.1:" + free);
            moved.put("port: " + port, "port: " + free);
            moved.put("port=" + port, "port=" + free);
        }
        copyMoved(Path.of("../conf"), conf, moved);
        for (String folder : new String[] {"routes", "mappings"}) {
            try (var files = Files.list(Path.of("../conf", folder))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                    copyMoved(file.getParent(), Files.createDirectories(conf.resolve(folder)), moved, file.getFileName().toString());
                }
            }
        }
        Files.writeString(conf.resolve("gateway.properties"), "tsunagi.db.url=jdbc:h2:file:" + dir.resolve("data/tsunagi") + "\n"
                + "tsunagi.keys.dir=" + dir.resolve("keys") + "\ntsunagi.http.port=" + freePort() + "\n");
        return conf;
    }

    private static void copyMoved(Path from, Path to, Map<String, String> moved) throws Exception {
        copyMoved(from, to, moved, "agencies.yaml");
        copyMoved(from, to, moved, "policy.yaml");
    }

    /** Copies a file with every demo path and port replaced by the test's. */
    private static void copyMoved(Path from, Path to, Map<String, String> moved, String name) throws Exception {
        String text = Files.readString(from.resolve(name));
        for (Map.Entry<String, String> e : moved.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        Files.writeString(to.resolve(name), text);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
