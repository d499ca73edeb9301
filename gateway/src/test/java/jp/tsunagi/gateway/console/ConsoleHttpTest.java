package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.codec.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's sessions, roles, CSRF and audit over plain HTTP, against a running gateway. */
class ConsoleHttpTest {
    @TempDir
    Path dir;

    private ConsoleFixture fixture;
    private ConsoleClient client;

    @BeforeEach
    void gatewayWithAnAccountOfEachRole() throws Exception {
        fixture = new ConsoleFixture(dir, "tsunagi.console.session-idle-timeout=PT15M");
        for (Role role : Role.values()) {
            fixture.account(role);
        }
        client = new ConsoleClient(fixture.base);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void the_console_answers_at_admin_and_asks_to_log_in_first() throws Exception {
        HttpResponse<String> root = client.get("/admin/");
        assertThat(root.statusCode()).isEqualTo(303);
        assertThat(root.headers().firstValue("Location")).hasValue("/admin/login");

        HttpResponse<String> entry = client.get("/admin");
        assertThat(entry.statusCode()).isEqualTo(303);
        assertThat(entry.headers().firstValue("Location")).hasValue("/admin/");
        // the document describes the entry /admin (a path without a trailing slash, as linters require)
        JsonNode documented = JsonCodec.mapper().readTree(TsunagiSchema.resourceBytes(TsunagiSchema.OPENAPI_RESOURCE))
                .path("paths").path("/admin").path("get").path("responses");
        assertThat(documented.has("303")).as("the OpenAPI document says what the server answers").isTrue();

        HttpResponse<String> login = client.get("/admin/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("<html lang=\"ja\">").contains("ログイン名").contains("パスワード");
    }

    @Test
    void a_route_change_the_gateway_refused_shows_on_the_home_page_of_any_role() throws Exception {
        client.login("viewer", ConsoleFixture.PASSWORD);
        assertThat(client.get("/admin/").body()).contains("ファイルどおりに動いています");

        java.nio.file.Files.createDirectories(fixture.conf.resolve("routes"));
        java.nio.file.Files.writeString(fixture.conf.resolve("routes/broken.yaml"), "- route: {id: broken, from: [\n");

        String home = null;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && (home == null || !home.contains("適用していません"))) {
            Thread.sleep(100); // waiting for the reload, which looks at conf/ every second
            home = client.get("/admin/").body();
        }
        assertThat(home).contains("適用していません").contains("前の設定のまま動いています").contains("broken.yaml");
    }

    @Test
    void login_gives_a_new_session_id_in_a_strict_http_only_cookie() throws Exception {
        client.get("/admin/login");
        String before = client.cookie;

        HttpResponse<String> login = client.login("auditor", ConsoleFixture.PASSWORD);

        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValue("/admin/");
        String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith("tsunagi_console=").contains("HttpOnly").contains("SameSite=Strict");
        assertThat(client.cookie).isNotNull().isNotEqualTo(before);
        assertThat(client.get("/admin/").body()).contains("auditor（監査者）");
    }

    @Test
    void every_page_forbids_script_framing_and_caching() throws Exception {
        List<HttpResponse<String>> pages = new ArrayList<>();
        pages.add(client.get("/admin/login"));
        client.login("auditor", ConsoleFixture.PASSWORD);
        for (String path : List.of("/admin/", "/admin/audit", "/admin/integrity", "/admin/audit/entries/1")) {
            pages.add(client.get(path));
        }
        for (HttpResponse<String> page : pages) {
            String path = page.uri().getPath();
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).as(path)
                    .contains("default-src 'none'").contains("frame-ancestors 'none'").doesNotContain("script-src");
            assertThat(page.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
            assertThat(page.body()).as(path).doesNotContain("<script");
        }
    }

    @Test
    void a_lower_role_opening_a_page_directly_gets_403() throws Exception {
        client.login("viewer", ConsoleFixture.PASSWORD);

        HttpResponse<String> audit = client.get("/admin/audit");
        assertThat(audit.statusCode()).isEqualTo(403);
        assertThat(audit.body()).contains("権限がありません");
        assertThat(client.get("/admin/integrity/bundle").statusCode()).isEqualTo(403);
        assertThat(client.get("/admin/accounts").statusCode()).isEqualTo(403);
        assertThat(client.get("/admin/").statusCode()).isEqualTo(200);
    }

    @Test
    void a_post_without_the_csrf_token_is_refused_and_changes_nothing() throws Exception {
        client.login("auditor", ConsoleFixture.PASSWORD);
        long verificationsBefore = count("AUDIT_VERIFIED");

        HttpResponse<String> verify = client.post("/admin/integrity/verify");
        HttpResponse<String> logout = client.post("/admin/logout", "_csrf", "forged");

        assertThat(verify.statusCode()).isEqualTo(403);
        assertThat(logout.statusCode()).isEqualTo(403);
        assertThat(count("AUDIT_VERIFIED")).isEqualTo(verificationsBefore);
        assertThat(client.get("/admin/audit").statusCode()).as("still logged in").isEqualTo(200);
    }

    @Test
    void an_idle_session_expires_and_its_end_is_audited() throws Exception {
        client.login("auditor", ConsoleFixture.PASSWORD);
        assertThat(client.get("/admin/audit").statusCode()).isEqualTo(200);

        fixture.clock.advance(Duration.ofMinutes(16));
        HttpResponse<String> later = client.get("/admin/audit");

        assertThat(later.statusCode()).isEqualTo(303);
        assertThat(later.headers().firstValue("Location")).hasValue("/admin/login?expired=1");
        assertThat(actions("auditor")).endsWith("CONSOLE_LOGOUT:idle");
    }

    @Test
    void repeated_failures_lock_the_account_even_for_the_right_password() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(client.login("operator", "wrong password " + i).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> right = client.login("operator", ConsoleFixture.PASSWORD);

        assertThat(right.statusCode()).isEqualTo(401);
        assertThat(right.body()).contains("ロック");
        assertThat(actions("operator")).endsWith("CONSOLE_LOGIN_FAILED:account.locked");

        fixture.clock.advance(Duration.ofMinutes(2));
        assertThat(client.login("operator", ConsoleFixture.PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void reading_the_trail_about_one_person_needs_a_stated_purpose_recorded_with_the_read() throws Exception {
        client.login("auditor", ConsoleFixture.PASSWORD);
        String subject = "ab".repeat(32);

        HttpResponse<String> without = client.get("/admin/audit?subject=" + subject);
        HttpResponse<String> with = client.get("/admin/audit?subject=" + subject + "&purpose=disclosure");

        assertThat(without.statusCode()).isEqualTo(400);
        assertThat(without.body()).contains("利用目的を選んでください");
        assertThat(with.statusCode()).isEqualTo(200);
        fixture.gateway.awaitAuditChained();
        try (Connection c = fixture.gateway.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT basis, subject_ref FROM audit_entry WHERE action = "
                     + "'AUDIT_READ' ORDER BY seq DESC LIMIT 1");
             ResultSet rs = s.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("PURPOSE:disclosure");
            assertThat(rs.getString(2)).isEqualTo(subject);
        }
    }

    @Test
    void a_changed_entry_shows_on_the_integrity_page_with_its_sequence_number() throws Exception {
        client.login("auditor", ConsoleFixture.PASSWORD);
        fixture.gateway.awaitAuditChained();
        try (Connection c = fixture.gateway.database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_entry SET actor = 'intruder' WHERE seq = 2");
        }
        String csrf = ConsoleClient.csrf(client.get("/admin/integrity").body());

        HttpResponse<String> verified = client.post("/admin/integrity/verify", "_csrf", csrf);

        assertThat(verified.statusCode()).isEqualTo(200);
        assertThat(verified.body()).contains("記録 2 で改ざんを検知しました").contains("記録の内容が変更されています");
        assertThat(actions("auditor")).endsWith("AUDIT_VERIFIED:tampered:2");
    }

    @Test
    void a_failed_login_with_a_name_that_is_no_account_records_nothing_that_was_typed() throws Exception {
        HttpResponse<String> refused = client.login("佐藤花子 090-1234-5678", "sato-hanako-password");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).doesNotContain("佐藤").doesNotContain("090-1234-5678");
        assertThat(actions("console")).containsExactly("CONSOLE_LOGIN_FAILED:account.unknown");
        fixture.gateway.awaitAuditChained();
        try (Connection c = fixture.gateway.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM audit_entry WHERE actor LIKE '%sato%' "
                     + "OR code LIKE '%sato%' OR actor LIKE '%090%'");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    private long count(String action) throws Exception {
        fixture.gateway.awaitAuditChained();
        try (Connection c = fixture.gateway.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM audit_entry WHERE action = ?")) {
            s.setString(1, action);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The account's audit entries in order, as ACTION:outcome (or ACTION:code for failures). */
    private List<String> actions(String actor) throws Exception {
        List<String> actions = new ArrayList<>();
        fixture.gateway.awaitAuditChained();
        try (Connection c = fixture.gateway.database().dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT action, outcome, code FROM audit_entry WHERE actor = ? ORDER BY seq")) {
            s.setString(1, actor);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String detail = rs.getString(1).equals("CONSOLE_LOGIN_FAILED") ? rs.getString(3) : rs.getString(2);
                    actions.add(rs.getString(1) + ":" + detail);
                }
            }
        }
        return actions;
    }
}
