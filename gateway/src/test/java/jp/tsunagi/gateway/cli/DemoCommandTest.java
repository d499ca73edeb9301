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
                "as a dat file in a folder: REJECTED consent.expired in its result file",
                "403 consent.category_missing", "403 consent.withdrawn", "401 signature.invalid", "401 signature.sender_mismatch",
                "Audit trail (監査ログ): intact", "Every flow behaved as expected.");
        assertThat(story).containsPattern("(?m)^5\\. Console \\(管理画面\\): http://127\\.0\\.0\\.1:[0-9]+/admin/ - log in as "
                + "demo-auditor \\(監査者\\) with the password [A-Za-z0-9_-]{16} \\(new on every run\\)$");
    }
}
