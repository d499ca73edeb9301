package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.GatewayPublicKeys;
import jp.tsunagi.gateway.audit.VerificationResult;
import jp.tsunagi.gateway.cli.CliRun;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.signature.KeyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs): what an
 * auditor does, page by page, with an accessibility check (axe-core) on every page. Screenshots of the pages go to
 * target/console-screenshots/ (docs/images/ holds copies for the administrator guide).
 */
class ConsoleBrowserTest {
    @RegisterExtension
    static final ConsoleBrowser browser = new ConsoleBrowser();

    @TempDir
    Path dir;

    private ConsoleFixture fixture;

    @BeforeEach
    void gatewayWithAnAccountOfEachRole() throws Exception {
        fixture = new ConsoleFixture(dir, "tsunagi.console.session-idle-timeout=PT15M");
        for (Role role : Role.values()) {
            fixture.account(role);
        }
        browser.visit(fixture.base);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void an_auditor_logs_in_filters_opens_an_entry_verifies_downloads_a_bundle_and_logs_out() throws Exception {
        browser.open("/admin/");
        assertThat(browser.url()).endsWith("/admin/login");
        browser.accessible("login");
        String anonymousId = browser.sessionId();

        browser.logIn("auditor");

        assertThat(browser.sessionId()).as("the session id changes at login").isNotNull().isNotEqualTo(anonymousId);
        assertThat(browser.text()).contains("auditor（監査者）");
        browser.accessible("home");

        browser.click(By.linkText("監査ログ"));
        assertThat(browser.find(By.tagName("html")).getAttribute("lang")).isEqualTo("ja");
        assertThat(browser.heading()).isEqualTo("監査ログ");
        new Select(browser.find(By.id("action"))).selectByVisibleText("ログイン");
        browser.click(By.cssSelector("form.filters button[type=submit]"));
        List<String> actions = browser.findAll(By.cssSelector("tbody tr td:nth-child(3)")).stream()
                .map(cell -> cell.getText()).toList();
        assertThat(actions).isNotEmpty().containsOnly("ログイン");
        browser.accessible("audit");

        browser.click(By.cssSelector("tbody tr td a"));
        assertThat(browser.text()).contains("この記録のハッシュ").contains("一致（内容は記録時のまま）");
        browser.accessible("entry");

        browser.click(By.linkText("完全性"));
        browser.click(By.cssSelector("form[action='/admin/integrity/verify'] button"));
        assertThat(browser.text()).contains("改ざんは見つかりませんでした");
        browser.accessible("integrity");

        browser.find(By.cssSelector("form[action='/admin/integrity/bundle'] button")).click(); // a download: the page stays
        Path bundle = browser.downloaded("audit-bundle-", ".json");
        CliRun verify = CliRun.run("audit", "verify", "--bundle", bundle.toString());
        assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).startsWith("intact: ");

        browser.click(By.cssSelector("form[action='/admin/logout'] button"));
        assertThat(browser.text()).contains("ログアウトしました");
        browser.open("/admin/audit");
        assertThat(browser.url()).endsWith("/admin/login");

        assertThat(chainIntact()).as("audit verify after the browser session").isTrue();
        assertThat(actionsOf("auditor")).containsExactly("CONSOLE_LOGIN:ok", "AUDIT_READ:listed", "AUDIT_READ:listed",
                "AUDIT_READ:viewed", "AUDIT_VERIFIED:intact", "AUDIT_EXPORTED:exported", "CONSOLE_LOGOUT:logout");
    }

    @Test
    void a_lower_role_opening_a_page_directly_is_refused_and_an_administrator_sees_the_accounts() throws Exception {
        browser.logIn("viewer");
        browser.open("/admin/integrity");
        assertThat(browser.heading()).isEqualTo("権限がありません");
        assertThat(browser.text()).contains("あなたの権限: 閲覧");
        browser.accessible("forbidden");
        browser.open("/admin/no-such-page");
        assertThat(browser.text()).contains("ページが見つかりません");
        browser.accessible("not-found");

        browser.visit(fixture.base); // a new visitor
        browser.logIn("administrator");
        browser.open("/admin/accounts");
        assertThat(browser.text()).contains("アカウント一覧").contains("auditor").contains("監査者");
        browser.accessible("accounts");
    }

    @Test
    void a_form_sent_without_its_csrf_token_is_refused() throws Exception {
        browser.logIn("auditor");
        browser.open("/admin/integrity");
        browser.driver().executeScript(
                "document.querySelector(\"form[action='/admin/integrity/verify'] input[name=_csrf]\").remove()");

        browser.click(By.cssSelector("form[action='/admin/integrity/verify'] button"));

        assertThat(browser.text()).contains("操作を受け付けませんでした");
        assertThat(actionsOf("auditor")).doesNotContain("AUDIT_VERIFIED:intact");
    }

    @Test
    void an_idle_session_expires() throws Exception {
        browser.logIn("auditor");
        browser.open("/admin/audit");
        assertThat(browser.heading()).isEqualTo("監査ログ");

        fixture.clock.advance(Duration.ofMinutes(16));
        browser.open("/admin/audit");

        assertThat(browser.url()).endsWith("/admin/login?expired=1");
        assertThat(browser.text()).contains("一定時間操作がなかったため、ログアウトしました");
    }

    @Test
    void a_changed_entry_shows_on_the_integrity_page_with_its_sequence_number() throws Exception {
        browser.logIn("auditor");
        fixture.gateway.awaitAuditChained();
        try (Connection c = fixture.gateway.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_entry SET outcome = 'refused' WHERE seq = 3");
        }
        browser.open("/admin/integrity");

        browser.click(By.cssSelector("form[action='/admin/integrity/verify'] button"));

        assertThat(browser.text()).contains("記録 3 で改ざんを検知しました").contains("記録の内容が変更されています");
        browser.screenshot("integrity-tampered");
        browser.click(By.linkText("記録 3 を開く"));
        assertThat(browser.text()).contains("不一致（内容が変更されています）");
    }

    @Test
    void an_operator_sees_the_dashboard_charts_as_svg_with_their_tables_and_opens_the_agencies_page() throws Exception {
        assertThat(fixture.submit(new jp.tsunagi.gateway.intake.TestMessages(fixture.keys).sample("F1-", m -> { }))
                .statusCode()).isEqualTo(202);
        browser.logIn("operator");

        assertThat(browser.heading()).isEqualTo("概要");
        List<WebElement> charts = browser.findAll(By.cssSelector("svg[role=img]"));
        assertThat(charts).hasSize(4);
        for (WebElement chart : charts) {
            assertThat(chart.isDisplayed()).isTrue();
            assertThat(chart.getSize().getWidth()).as("drawn, not empty").isGreaterThan(100);
            assertThat(chart.findElement(By.tagName("title")).getAttribute("textContent")).isNotBlank();
            assertThat(chart.findElement(By.tagName("desc")).getAttribute("textContent")).isNotBlank();
        }
        assertThat(browser.findAll(By.cssSelector("#chart-referrals rect"))).as("the referral of today").hasSize(1);
        assertThat(browser.findAll(By.cssSelector(".chart-card table caption"))).hasSize(4);
        assertThat(browser.text()).contains("紹介の状態").contains("配信の状況").contains("コネクタの経路");
        browser.accessible("dashboard");

        browser.click(By.linkText("機関・設定"));
        assertThat(browser.heading()).isEqualTo("機関・設定");
        assertThat(browser.text()).contains("tsunagi-tax#1").contains("設定の検査（config check）");
        browser.accessible("agencies");
    }

    // --- the audit, as the tests read it ---

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
