package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.operations.DeadLetterScenario;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * What an administrator does about dead letters, in a real headless Chromium against a running gateway whose
 * welfare office system refused two referrals: find them, see a requeue refused after the consent was withdrawn,
 * requeue the other, watch it delivered and its referral leave FAILED, and follow the referral's timeline. Each page
 * is checked with axe-core; screenshots go to target/console-screenshots/.
 */
class OperationsBrowserTest {
    @RegisterExtension
    static final ConsoleBrowser browser = new ConsoleBrowser();

    @TempDir
    Path dir;

    @Test
    void an_administrator_requeues_a_dead_letter_sees_one_refused_after_a_withdrawal_and_follows_the_referral() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            new Accounts(g.gateway.database().dataSource(), new AuditChain(new SigningKey("gateway#1",
                    Pem.readPrivateKey(g.dir.resolve("keys/gateway.key.pem")))),
                    ConsoleSettings.inConfDirectory(g.dir.resolve("conf")), Clock.systemUTC())
                    .add("administrator", Role.ADMINISTRATOR, ConsoleFixture.PASSWORD.toCharArray(), false, "test-setup");
            DeadLetterScenario s = new DeadLetterScenario(g);
            s.withdrawConsent();
            g.recipients.answerWith("tsunagi-welfare", 200);
            browser.visit(g.uri("").toString());
            browser.logIn("administrator");

            browser.click(By.linkText("配信エラー"));
            assertThat(browser.heading()).isEqualTo("配信エラー");
            assertThat(browser.text()).contains(DeadLetterScenario.UNDER_CONSENT).contains(DeadLetterScenario.UNDER_MEETING);
            browser.accessible("deadletters");

            browser.click(By.cssSelector("a[aria-label='配信エラー " + s.underConsent + " を開く']"));
            assertThat(browser.find(By.id("copy-state")).getText()).isEqualTo("配信エラー");
            browser.find(By.id("requeue-reason")).sendKeys("送付先のシステムが復旧したため");
            browser.click(By.cssSelector("form#requeue button"));
            assertThat(browser.text()).contains("受け付けられませんでした: consent.withdrawn").contains("本人が同意を撤回しています");
            browser.accessible("deadletter-refused");

            browser.click(By.linkText("配信エラーの一覧に戻る"));
            browser.find(By.cssSelector("input[name='copy-" + s.underMeeting + "']")).click();
            browser.find(By.id("reason")).sendKeys("送付先のシステムが復旧したため");
            browser.click(By.cssSelector("form#requeue-form button[type=submit]"));
            assertThat(browser.text()).contains("配信 " + s.underMeeting + " を再送しました");

            // delivered by the running gateway: the referral leaves FAILED, the hub's system gets the corrected notice
            g.awaitCopy("tsunagi-hub", m -> DeadLetterScenario.isNotice(m, DeadLetterScenario.UNDER_MEETING, "RECEIVED"));
            s.awaitNumber("SELECT COUNT(*) FROM referral WHERE referral_id = '" + DeadLetterScenario.UNDER_MEETING
                    + "' AND status = 'RECEIVED'", n -> n == 1);

            browser.click(By.linkText("紹介"));
            browser.click(By.linkText(DeadLetterScenario.UNDER_MEETING));
            assertThat(browser.find(By.id("referral-status")).getText()).isEqualTo("受信");
            assertThat(browser.text()).contains("送付済み").contains("不達").contains("DELIVERY_FAILED").contains("配信済み");
            browser.accessible("referral");
            browser.click(By.linkText("紹介の一覧に戻る"));
            browser.accessible("referrals");

            assertThat(s.chainIntact()).isTrue();
            assertThat(s.strings("SELECT action || ':' || outcome FROM audit_entry WHERE actor = 'administrator'"
                    + " AND action IN ('DEAD_LETTER_REQUEUED', 'REFERRAL_VIEWED') ORDER BY seq"))
                    .containsExactly("DEAD_LETTER_REQUEUED:refused", "DEAD_LETTER_REQUEUED:requeued", "REFERRAL_VIEWED:viewed");
        }
    }
}
