package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.GatewayPublicKeys;
import jp.tsunagi.gateway.audit.VerificationResult;
import jp.tsunagi.gateway.cli.CliRun;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.signature.KeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs): what an
 * auditor does, page by page, with an accessibility check (axe-core) on every page. Screenshots of the pages go to
 * target/console-screenshots/ (docs/images/ holds copies for the administrator guide).
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    @TempDir
    static Path browserDir;

    private static WebDriver browser;

    @TempDir
    Path dir;

    private ConsoleFixture fixture;

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
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        browser = new ChromeDriver(service, options);
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
    void gatewayWithAnAccountOfEachRole() throws Exception {
        fixture = new ConsoleFixture(dir, "tsunagi.console.session-idle-timeout=PT15M");
        for (Role role : Role.values()) {
            fixture.account(role);
        }
        browser.manage().deleteAllCookies();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void an_auditor_logs_in_filters_opens_an_entry_verifies_downloads_a_bundle_and_logs_out() throws Exception {
        open("/admin/");
        assertThat(browser.getCurrentUrl()).endsWith("/admin/login");
        accessible("login");
        String anonymousId = sessionId();

        logIn("auditor");

        assertThat(sessionId()).as("the session id changes at login").isNotNull().isNotEqualTo(anonymousId);
        assertThat(text()).contains("auditor（監査者）");
        accessible("home");

        click(By.linkText("監査ログ"));
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("ja");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("監査ログ");
        new Select(browser.findElement(By.id("action"))).selectByVisibleText("ログイン");
        click(By.cssSelector("form.filters button[type=submit]"));
        List<String> actions = browser.findElements(By.cssSelector("tbody tr td:nth-child(3)")).stream()
                .map(cell -> cell.getText()).toList();
        assertThat(actions).isNotEmpty().containsOnly("ログイン");
        accessible("audit");

        click(By.cssSelector("tbody tr td a"));
        assertThat(text()).contains("この記録のハッシュ").contains("一致（内容は記録時のまま）");
        accessible("entry");

        click(By.linkText("完全性"));
        click(By.cssSelector("form[action='/admin/integrity/verify'] button"));
        assertThat(text()).contains("改ざんは見つかりませんでした");
        accessible("integrity");

        browser.findElement(By.cssSelector("form[action='/admin/integrity/bundle'] button")).click(); // a download: the page stays
        Path bundle = downloaded();
        CliRun verify = CliRun.run("audit", "verify", "--bundle", bundle.toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).startsWith("intact: ");

        click(By.cssSelector("form[action='/admin/logout'] button"));
        assertThat(text()).contains("ログアウトしました");
        open("/admin/audit");
        assertThat(browser.getCurrentUrl()).endsWith("/admin/login");

        assertThat(chainIntact()).as("audit verify after the browser session").isTrue();
        assertThat(actionsOf("auditor")).containsExactly("CONSOLE_LOGIN:ok", "AUDIT_READ:listed", "AUDIT_READ:listed",
                "AUDIT_READ:viewed", "AUDIT_VERIFIED:intact", "AUDIT_EXPORTED:exported", "CONSOLE_LOGOUT:logout");
    }

    @Test
    void a_lower_role_opening_a_page_directly_is_refused_and_an_administrator_sees_the_accounts() throws Exception {
        logIn("viewer");
        open("/admin/integrity");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("権限がありません");
        assertThat(text()).contains("あなたの権限: 閲覧");
        accessible("forbidden");
        open("/admin/no-such-page");
        assertThat(text()).contains("ページが見つかりません");
        accessible("not-found");

        browser.manage().deleteAllCookies();
        logIn("administrator");
        open("/admin/accounts");
        assertThat(text()).contains("アカウント一覧").contains("auditor").contains("監査者");
        accessible("accounts");
    }

    @Test
    void a_form_sent_without_its_csrf_token_is_refused() throws Exception {
        logIn("auditor");
        open("/admin/integrity");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                "document.querySelector(\"form[action='/admin/integrity/verify'] input[name=_csrf]\").remove()");

        click(By.cssSelector("form[action='/admin/integrity/verify'] button"));

        assertThat(text()).contains("操作を受け付けませんでした");
        assertThat(actionsOf("auditor")).doesNotContain("AUDIT_VERIFIED:intact");
    }

    @Test
    void an_idle_session_expires() throws Exception {
        logIn("auditor");
        open("/admin/audit");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("監査ログ");

        fixture.clock.advance(Duration.ofMinutes(16));
        open("/admin/audit");

        assertThat(browser.getCurrentUrl()).endsWith("/admin/login?expired=1");
        assertThat(text()).contains("一定時間操作がなかったため、ログアウトしました");
    }

    @Test
    void a_changed_entry_shows_on_the_integrity_page_with_its_sequence_number() throws Exception {
        logIn("auditor");
        fixture.gateway.awaitAuditChained();
        try (Connection c = fixture.gateway.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_entry SET outcome = 'refused' WHERE seq = 3");
        }
        open("/admin/integrity");

        click(By.cssSelector("form[action='/admin/integrity/verify'] button"));

        assertThat(text()).contains("記録 3 で改ざんを検知しました").contains("記録の内容が変更されています");
        screenshot("integrity-tampered");
        click(By.linkText("記録 3 を開く"));
        assertThat(text()).contains("不一致（内容が変更されています）");
    }

    @Test
    void an_operator_sees_the_dashboard_charts_as_svg_with_their_tables_and_opens_the_agencies_page() throws Exception {
        assertThat(fixture.submit(new jp.tsunagi.gateway.intake.TestMessages(fixture.keys).sample("F1-", m -> { }))
                .statusCode()).isEqualTo(202);
        logIn("operator");

        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("概要");
        List<org.openqa.selenium.WebElement> charts = browser.findElements(By.cssSelector("svg[role=img]"));
        assertThat(charts).hasSize(4);
        for (org.openqa.selenium.WebElement chart : charts) {
            assertThat(chart.isDisplayed()).isTrue();
            assertThat(chart.getSize().getWidth()).as("drawn, not empty").isGreaterThan(100);
            assertThat(chart.findElement(By.tagName("title")).getAttribute("textContent")).isNotBlank();
            assertThat(chart.findElement(By.tagName("desc")).getAttribute("textContent")).isNotBlank();
        }
        assertThat(browser.findElements(By.cssSelector("#chart-referrals rect"))).as("the referral of today").hasSize(1);
        assertThat(browser.findElements(By.cssSelector(".chart-card table caption"))).hasSize(4);
        assertThat(text()).contains("紹介の状態").contains("配信の状況").contains("コネクタの経路");
        accessible("dashboard");

        click(By.linkText("機関・設定"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("機関・設定");
        assertThat(text()).contains("tsunagi-tax#1").contains("設定の検査（config check）");
        accessible("agencies");
    }

    // --- helpers ---

    private void open(String path) {
        browser.get(fixture.base + path);
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
        org.openqa.selenium.WebElement page = browser.findElement(By.tagName("html"));
        browser.findElement(element).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> {
            try {
                page.isEnabled();
                return false;
            } catch (WebDriverException gone) { // stale, or Chromium already dropped the node
                return true;
            }
        });
    }

    private String sessionId() {
        Cookie cookie = browser.manage().getCookieNamed("tsunagi_console");
        return cookie == null ? null : cookie.getValue();
    }

    private String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /** axe-core on the page: no serious or critical violation; a screenshot for the guide. */
    private void accessible(String page) throws IOException {
        screenshot(page);
        List<Rule> violations = new AxeBuilder().analyze(browser).getViolations();
        List<String> bad = new ArrayList<>();
        for (Rule rule : violations) {
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

    /** The bundle file, once the browser has finished writing it. */
    private Path downloaded() {
        Path downloads = browserDir.resolve("downloads");
        return new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(f -> f.getFileName().toString().startsWith("audit-bundle-")
                        && f.getFileName().toString().endsWith(".json")).findFirst().orElse(null);
            } catch (IOException e) {
                return null;
            }
        });
    }

    private boolean chainIntact() throws Exception {
        KeyResolver keys = KeyResolver.of(GatewayPublicKeys.of(AgencyDirectory.inConfDirectory(fixture.conf), fixture.keys));
        VerificationResult result = new AuditVerifier(keys).verify(fixture.gateway.database().dataSource());
        return result.intact();
    }

    private List<String> actionsOf(String actor) throws Exception {
        List<String> actions = new ArrayList<>();
        fixture.gateway.awaitAuditChained();
        try (Connection c = fixture.gateway.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT action, outcome FROM audit_entry WHERE actor = ? ORDER BY seq")) {
            s.setString(1, actor);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    actions.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
        }
        return actions;
    }
}
