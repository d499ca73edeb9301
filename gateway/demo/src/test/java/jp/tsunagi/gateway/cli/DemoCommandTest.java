package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @Test
    void theDemoSendsEveryFlowF1ToF10ThroughTheGatewayToTheSimulatedAgenciesShowsTheRefusalsAndAnIntactAuditTrail(@TempDir Path dir)
            throws Exception {
        Path conf = DemoConf.defaultConfIn(dir);
        CliRun run = CliRun.run(TsunagiDemoCli::commandLine, "demo", "--exit", "--conf", conf.toString(), "--samples", "../../schemas/samples",
                "--exchange", dir.resolve("data/exchange").toString());
        int exit = run.exit();
        String story = run.out();

        assertThat(exit).as(story + run.err()).isZero();
        for (int flow = 1; flow <= 10; flow++) {
            assertThat(story).containsPattern("(?m)^   F" + flow + " .*(202 受付, audit #[0-9]+|: ACCEPTED)\\]$");
        }
        assertThat(story).contains(
                // the welfare office's own referral (F2) reached the hub: the gateway says so (受信), in its XML
                "つなぎ市福祉事務所: 4 — STATUS_UPDATE RECEIVED from the gateway by application/xml POST; "
                        + "REFERRAL by application/xml POST; REFERRAL by application/xml POST; CONSENT_WITHDRAWAL by application/xml POST",
                "ハローワークつなぎ: 3 — REFERRAL in referral.csv; STATUS_UPDATE RECEIVED from the gateway in status-update.csv; "
                        + "STATUS_UPDATE ACCEPTED in status-update.csv",
                "つなぎ市中央地域包括支援センター: 3 — STATUS_UPDATE RECEIVED from the gateway by application/json POST; "
                        + "STATUS_UPDATE ACCEPTED by application/json POST; STATUS_UPDATE RECEIVED from the gateway by application/json POST",
                "つなぎ市税務課: 3 — STATUS_UPDATE RECEIVED from the gateway in status-update.dat; "
                        + "STATUS_UPDATE ACCEPTED in status-update.dat; REFERRAL in referral.dat",
                "Minimized (最小化) before it reached ハローワークつなぎ: HEALTH removed",
                // the 8050 household: the mother on her own consent goes, the son's sister without a basis of her own does not
                "the hub's copy holds the son and 1 household member on her own consent (母: 本人同意); "
                        + "minimization removed member [1]",
                // a withdrawal while the hub's system is down: the copy never leaves, the welfare office hears 取消
                "the copy is stopped, the referral is CANCELLED, the welfare office heard 取消, the hub gets the withdrawal only",
                "as a dat file in a folder: REJECTED consent.expired in its result file",
                "403 consent.tax_requires_consent", "403 consent.withdrawn", "401 signature.invalid", "401 signature.sender_mismatch",
                "Audit trail (監査ログ): intact", "Every flow behaved as expected.");
        assertThat(story).containsPattern("(?m)^5\\. Console \\(管理画面\\): http://127\\.0\\.0\\.1:[0-9]+/admin/ - log in as "
                + "demo-auditor \\(監査者\\) with the password [A-Za-z0-9_-]{16} \\(new on every run\\)$");
    }

    @Test
    void aSecondDemoInTheSameFolderBehavesAsTheFirstAlthoughTheFirstLeftItsFilesInTheExchangeFolder(@TempDir Path dir)
            throws Exception {
        Path conf = DemoConf.defaultConfIn(dir);
        String[] demo = {"demo", "--exit", "--conf", conf.toString(), "--samples", "../../schemas/samples",
                "--exchange", dir.resolve("data/exchange").toString()};
        CliRun first = CliRun.run(TsunagiDemoCli::commandLine, demo);
        assertThat(first.exit()).as(first.out() + first.err()).isZero();

        CliRun second = CliRun.run(TsunagiDemoCli::commandLine, demo);

        assertThat(second.exit()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("ハローワークつなぎ: 3 — ", "つなぎ市税務課: 3 — ", "Every flow behaved as expected.");
        // what minimization removed in this run, not again what it removed in the first
        assertThat(second.out().lines().filter(line -> line.contains("Minimized (最小化)")))
                .hasSameSizeAs(first.out().lines().filter(line -> line.contains("Minimized (最小化)")).toList());
    }

    @Test
    void aFlowThatDoesNotBehaveIsNamedInTheVerdictLineAndTheDemoExitsWith1(@TempDir Path dir) throws Exception {
        Path conf = DemoConf.defaultConfIn(dir);
        Path samples = Files.createDirectories(dir.resolve("samples"));
        try (var files = Files.list(Path.of("../../schemas/samples"))) {
            for (Path sample : files.toList()) {
                Files.copy(sample, samples.resolve(sample.getFileName()));
            }
        }
        // F7's hand-back addressed to an agency nobody registered: refused, where the story expects 202
        Path f7 = samples.resolve("F7-hub-to-tax-hand-back.json");
        Files.writeString(f7, Files.readString(f7).replace("\"recipient\": \"tsunagi-tax\"", "\"recipient\": \"tsunagi-nowhere\""));

        CliRun run = CliRun.run(TsunagiDemoCli::commandLine, "demo", "--exit", "--conf", conf.toString(), "--samples",
                samples.toString(), "--exchange", dir.resolve("data/exchange").toString());

        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("SOME FLOWS DID NOT BEHAVE AS EXPECTED: F7").doesNotContain("Every flow behaved");
    }
}
