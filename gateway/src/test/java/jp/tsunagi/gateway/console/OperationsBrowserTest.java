package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.operations.DeadLetterScenario;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What an administrator does about dead letters, in a real headless Chromium against a running gateway whose
 * welfare office system refused two referrals: find them, see a requeue refused after the consent was withdrawn,
 * requeue the other, watch it delivered and its referral leave FAILED, and follow the referral's timeline. Each page
 * is checked with axe-core; screenshots go to target/console-screenshots/.
 */
class OperationsBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    @TempDir
    static Path browserDir;

    private static WebDriver browser;

    @TempDir
    Path dir;

    private GatewayFixture g;

    @BeforeAll
    static void startChromium() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (/usr/bin/chromium, /usr/bin/chromedriver): skipped");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(browserDir.resolve("profile")), "--window-size=1280,1000",
                "--lang=ja");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopChromium() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void an_administrator_requeues_a_dead_letter_sees_one_refused_after_a_withdrawal_and_follows_the_referral() throws Exception {
        try (GatewayFixture fixture = new GatewayFixture(dir, TestDatabases.Kind.H2)) {
            g = fixture;
            new Accounts(g.gateway.database().dataSource(), new AuditChain(new SigningKey("gateway#1",
                    Pem.readPrivateKey(g.dir.resolve("keys/gateway.key.pem")))),
                    ConsoleSettings.inConfDirectory(g.dir.resolve("conf")), Clock.systemUTC())
                    .add("administrator", Role.ADMINISTRATOR, ConsoleFixture.PASSWORD.toCharArray(), false, "test-setup");
            DeadLetterScenario s = new DeadLetterScenario(g);
            s.withdrawConsent();
            g.recipients.answerWith("tsunagi-welfare", 200);
            logIn("administrator");

            click(By.linkText("配信エラー"));
            assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("配信エラー");
            assertThat(text()).contains(DeadLetterScenario.UNDER_CONSENT).contains(DeadLetterScenario.UNDER_MEETING);
            accessible("deadletters");

            click(By.cssSelector("a[aria-label='配信エラー " + s.underConsent + " を開く']"));
            assertThat(browser.findElement(By.id("copy-state")).getText()).isEqualTo("配信エラー");
            browser.findElement(By.id("requeue-reason")).sendKeys("送付先のシステムが復旧したため");
            click(By.cssSelector("form#requeue button"));
            assertThat(text()).contains("受け付けられませんでした: consent.withdrawn").contains("本人が同意を撤回しています");
            accessible("deadletter-refused");

            click(By.linkText("配信エラーの一覧に戻る"));
            browser.findElement(By.cssSelector("input[name='copy-" + s.underMeeting + "']")).click();
            browser.findElement(By.id("reason")).sendKeys("送付先のシステムが復旧したため");
            click(By.cssSelector("form#requeue-form button[type=submit]"));
            assertThat(text()).contains("配信 " + s.underMeeting + " を再送しました");

            // delivered by the running gateway: the referral leaves FAILED, the hub's system gets the corrected notice
            g.awaitCopy("tsunagi-hub", m -> DeadLetterScenario.isNotice(m, DeadLetterScenario.UNDER_MEETING, "RECEIVED"));
            s.awaitNumber("SELECT COUNT(*) FROM referral WHERE referral_id = '" + DeadLetterScenario.UNDER_MEETING
                    + "' AND status = 'RECEIVED'", n -> n == 1);

            click(By.linkText("紹介"));
            click(By.linkText(DeadLetterScenario.UNDER_MEETING));
            assertThat(browser.findElement(By.id("referral-status")).getText()).isEqualTo("受信");
            assertThat(text()).contains("送付済み").contains("不達").contains("DELIVERY_FAILED").contains("配信済み");
            accessible("referral");
            click(By.linkText("紹介の一覧に戻る"));
            accessible("referrals");

            assertThat(s.chainIntact()).isTrue();
            assertThat(s.strings("SELECT action || ':' || outcome FROM audit_entry WHERE actor = 'administrator'"
                    + " AND action IN ('DEAD_LETTER_REQUEUED', 'REFERRAL_VIEWED') ORDER BY seq"))
                    .containsExactly("DEAD_LETTER_REQUEUED:refused", "DEAD_LETTER_REQUEUED:requeued", "REFERRAL_VIEWED:viewed");
        }
    }

    private void open(String path) {
        browser.get(g.uri(path).toString());
    }

    private void logIn(String name) {
        browser.manage().deleteAllCookies();
        open("/admin/login");
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(ConsoleFixture.PASSWORD);
        click(By.cssSelector("form[action='/admin/login'] button"));
        assertThat(browser.getCurrentUrl()).as(text()).endsWith("/admin/");
    }

    /** Clicks and waits until the next page has replaced this one. */
    private void click(By element) {
        org.openqa.selenium.WebElement page = browser.findElement(By.tagName("html"));
        browser.findElement(element).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> {
            try {
                page.isEnabled();
                return false;
            } catch (WebDriverException gone) {
                return true;
            }
        });
    }

    private String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /** axe-core on the page: no serious or critical violation; a screenshot for the guide. */
    private void accessible(String page) throws IOException {
        Files.write(SCREENSHOTS.resolve("console-" + page + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        List<String> bad = new ArrayList<>();
        for (Rule rule : new AxeBuilder().analyze(browser).getViolations()) {
            if ("serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())) {
                bad.add(rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " " + rule.getNodes().stream()
                        .map(n -> String.valueOf(n.getTarget())).toList());
            }
        }
        assertThat(bad).as("axe-core on " + page).isEmpty();
    }
}
