package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * 同意 and 本人開示 in a real headless Chromium, against a gateway whose agencies' systems are simulated: an auditor
 * produces a person's disclosure, prints and downloads it, and sees the console's own view listed; an administrator
 * records a withdrawal made at a counter and sees the copies it stopped, with the effects a withdrawal message has.
 */
class PeoplePagesBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    @TempDir
    static Path browserDir;

    private static ChromeDriver browser;

    @TempDir
    Path dir;

    private PeopleFixture f;

    @BeforeAll
    static void startChromium() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (/usr/bin/chromium, /usr/bin/chromedriver): the browser tests of the console "
                        + "are skipped; install them with 'apt-get install -y chromium chromium-driver' (.ci/run does)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(browserDir.resolve("profile")), "--window-size=1280,1000",
                "--lang=ja");
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", Files.createDirectories(browserDir.resolve("downloads")).toString(),
                "download.prompt_for_download", false));
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

    @BeforeEach
    void gateway() throws Exception {
        f = new PeopleFixture(dir);
        browser.manage().deleteAllCookies();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void an_auditor_produces_a_persons_disclosure_prints_and_downloads_it_and_sees_the_consoles_own_view_listed()
            throws Exception {
        assertThat(f.g.send(f.g.sample("F3-")).statusCode()).isEqualTo(202);
        f.await("SELECT COUNT(*) FROM outbox WHERE referral_id = '" + PeopleFixture.REFERRAL + "' AND status = 'DELIVERED'",
                n -> n == 1);
        logIn("auditor");

        click(By.linkText("本人開示"));
        accessible("disclosure-form");
        browser.findElement(By.id("kanaFamily")).sendKeys(PeopleFixture.KANA_FAMILY);
        browser.findElement(By.id("kanaGiven")).sendKeys(PeopleFixture.KANA_GIVEN);
        browser.executeScript("document.getElementById('birthDate').value = arguments[0]", PeopleFixture.BIRTH_DATE);
        new Select(browser.findElement(By.id("purpose"))).selectByVisibleText("本人からの開示請求への対応");
        click(By.cssSelector("form[action='/admin/disclosure/show'] button"));

        assertThat(text()).contains("提供記録の開示").contains("ヤマモト マコト（1971-11-30）");
        List<String> provision = cells("#provisions tbody tr");
        assertThat(provision).contains("tsunagi-hub", "tsunagi-welfare", "本人同意 CNS-2026-0043", PeopleFixture.REFERRAL);
        assertThat(provision).anyMatch(cell -> cell.startsWith("配信済み"))
                .anyMatch(cell -> cell.equals("2027-03-31 23:59:59 まで有効"));
        List<String> view = cells("#views tbody tr");
        assertThat(view).as("this very disclosure is listed among the views of the person's records")
                .contains("auditor", "開示", "本人からの開示請求への対応", "disclosed");
        accessible("disclosure");

        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
        screenshot("disclosure-print");
        assertThat(browser.findElement(By.tagName("nav")).isDisplayed()).as("printed without the menu").isFalse();
        assertThat(browser.findElement(By.cssSelector("form[action='/admin/disclosure/show']")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("provisions")).isDisplayed()).isTrue();
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));

        browser.findElement(By.cssSelector("form[action='/admin/disclosure/download'] input[value=json] ~ button")).click();
        JsonNode file = JsonCodec.parse(Files.readAllBytes(downloaded("disclosure-", ".json")));
        assertThat(file.at("/provisions/0/recipient").asText()).isEqualTo("tsunagi-welfare");
        assertThat(file.at("/consoleViews").findValuesAsText("outcome")).containsExactly("disclosed", "exported.json");

        assertThat(f.actionsOf("auditor")).containsExactly("CONSOLE_LOGIN:ok", "DISCLOSED:disclosed", "DISCLOSED:exported.json");
        assertThat(f.chainIntact()).as("audit verify after the browser session").isTrue();
    }

    @Test
    void an_administrator_records_a_counter_withdrawal_and_sees_the_copies_it_stopped_with_the_effects_of_a_withdrawal_message()
            throws Exception {
        f.g.recipients.answerWith("tsunagi-welfare", 503);
        assertThat(f.g.send(f.g.sample("F3-")).statusCode()).isEqualTo(202);
        // tried and refused: the welfare office may have it, so it will be told of the withdrawal
        f.await("SELECT MAX(attempts) FROM outbox WHERE referral_id = '" + PeopleFixture.REFERRAL + "'", n -> n > 0);
        logIn("administrator");

        click(By.linkText("同意"));
        assertThat(cells("tbody tr")).contains(PeopleFixture.CONSENT);
        accessible("consents");
        click(By.linkText(PeopleFixture.CONSENT));
        assertThat(text()).contains("生活保護の相談").contains("tsunagi-welfare").contains("PENDING");
        new Select(browser.findElement(By.id("recordedBy"))).selectByValue("tsunagi-hub");
        browser.executeScript("document.getElementById('withdrawnAt').value = arguments[0]", PeoplePagesHttpTest.pastMinutes(30));
        new Select(browser.findElement(By.id("method"))).selectByValue("WRITTEN");
        new Select(browser.findElement(By.id("reason"))).selectByValue("in_person");
        accessible("consent");
        click(By.cssSelector("form[action='/admin/consents/withdraw'] button"));

        assertThat(text()).contains("撤回を記録しました").contains("撤回により停止した配信（1件）");
        List<String> stopped = cells("caption ~ tbody tr");
        assertThat(stopped).contains(PeopleFixture.REFERRAL, "tsunagi-welfare", "CANCELLED");
        accessible("consent-withdrawn");

        // the same effects as the withdrawal message of ReferralLedgerEndToEndTest: the welfare office is told, the
        // referral is cancelled and its sender told why, and the referral itself never arrives
        f.g.recipients.answerWith("tsunagi-welfare", 200);
        Message notice = f.g.awaitCopy("tsunagi-welfare", m -> m.getConsentWithdrawal() != null);
        assertThat(notice.getConsentWithdrawal().getRecordedBy()).isEqualTo("tsunagi-hub");
        assertThat(notice.getProvenance().getOriginalSender()).isEqualTo("tsunagi-hub");
        Message cancelled = f.g.awaitCopy("tsunagi-hub", GatewayFixture.statusUpdate("gateway", "CANCELLED"));
        assertThat(cancelled.getReferralId()).isEqualTo(PeopleFixture.REFERRAL);
        assertThat(cancelled.getStatusUpdate().getReason().name()).isEqualTo("CONSENT_WITHDRAWN");
        assertThat(f.strings("SELECT status FROM referral_event WHERE referral_id = ? ORDER BY event_id", PeopleFixture.REFERRAL))
                .containsExactly("SENT", "CANCELLED");
        assertThat(f.strings("SELECT code FROM audit_entry WHERE action = 'FORWARD_SCHEDULED' AND referral_id = ?"
                + " AND code LIKE 'notice.%'", PeopleFixture.REFERRAL)).containsExactly("notice.cancelled");
        MessageReader reader = new MessageReader();
        assertThat(f.g.recipients.processedBy("tsunagi-welfare")).as("the referral itself never arrived")
                .allSatisfy(copy -> assertThat(reader.read(copy.body()).getConsentWithdrawal()).isNotNull());
        f.await("SELECT COUNT(*) FROM outbox WHERE message_id = '" + notice.getMessageId() + "' AND status = 'DELIVERED'",
                n -> n == 1);
        browser.navigate().refresh();
        assertThat(text()).contains("tsunagi-welfare (DELIVERED)");

        assertThat(f.actionsOf("administrator")).containsExactly("CONSOLE_LOGIN:ok", "CONSENT_READ:listed",
                "CONSENT_READ:viewed", "ACCEPTED:accepted", "CONSENT_WITHDRAWN:stopped.1", "CONSENT_READ:viewed",
                "CONSENT_READ:viewed");
        assertThat(f.strings("SELECT code FROM audit_entry WHERE action = 'CONSENT_WITHDRAWN' AND actor = 'administrator'"))
                .containsExactly("counter:in_person");
        assertThat(f.chainIntact()).as("audit verify after the browser session").isTrue();
    }

    // --- helpers (as ConsoleBrowserTest's) ---

    private void open(String path) {
        browser.get(f.base + path);
    }

    private void logIn(String name) {
        open("/admin/login");
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(ConsoleFixture.PASSWORD);
        click(By.cssSelector("form[action='/admin/login'] button"));
        assertThat(browser.getCurrentUrl()).as(text()).endsWith("/admin/");
    }

    /** Clicks and waits until the next page has replaced this one. */
    private void click(By element) {
        WebElement page = browser.findElement(By.tagName("html"));
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

    private List<String> cells(String rows) {
        return browser.findElements(By.cssSelector(rows + " td")).stream().map(WebElement::getText).toList();
    }

    /** axe-core on the page: no serious or critical violation; a screenshot for the guide. */
    private void accessible(String page) throws IOException {
        screenshot(page);
        List<String> bad = new ArrayList<>();
        for (Rule rule : new AxeBuilder().analyze(browser).getViolations()) {
            if ("serious".equals(rule.getImpact()) || "critical".equals(rule.getImpact())) {
                bad.add(rule.getId() + " (" + rule.getImpact() + "): " + rule.getHelp() + " " + rule.getNodes().stream()
                        .map(n -> String.valueOf(n.getTarget())).toList());
            }
        }
        assertThat(bad).as("axe-core on " + page).isEmpty();
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve("console-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private Path downloaded(String prefix, String suffix) {
        Path downloads = browserDir.resolve("downloads");
        return new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                        && p.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
    }
}
