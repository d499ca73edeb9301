package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @Test
    void theDemoSendsEveryFlowF1ToF10ThroughTheGatewayToTheSimulatedAgenciesShowsTheRefusalsAndAnIntactAuditTrail(@TempDir Path dir)
            throws Exception {
        Path conf = DemoConf.defaultConfIn(dir);
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
                "つなぎ市税務課: 2 — STATUS_UPDATE in status-update.dat; REFERRAL in referral.dat",
                "Minimized (最小化) before it reached ハローワークつなぎ: HEALTH removed",
                "403 consent.category_missing", "403 consent.withdrawn", "401 signature.invalid", "401 signature.sender_mismatch",
                "Audit trail (監査ログ): intact", "Every flow behaved as expected.");
    }
}
