package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import jp.tsunagi.gateway.app.ConfigurationCheck;
import jp.tsunagi.gateway.intake.TestMessages;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard (概要, the console's home page) and the agencies page (機関・設定) over HTTP: roles enforced on the
 * server, charts drawn as accessible SVG with a table beside each, and no personal data of the referral the gateway
 * took in (the canary: its name, kana, phone and address).
 */
class DashboardHttpTest {
    @TempDir
    Path dir;

    private ConsoleFixture fixture;
    private final List<String> personal = new ArrayList<>();
    private String referralId;

    @BeforeEach
    void gatewayThatTookInAReferralAndRefusedAnother() throws Exception {
        fixture = new ConsoleFixture(dir.resolve("gateway"), "tsunagi.escalation.check-interval=PT1S");
        for (Role role : Role.values()) {
            fixture.account(role);
        }
        TestMessages messages = new TestMessages(fixture.keys);
        ObjectNode referral = messages.sample("F1-", m -> { });
        for (String pointer : List.of("/referral/subject/name/family", "/referral/subject/name/given",
                "/referral/subject/kana/family", "/referral/subject/contact/phones/0", "/referral/subject/address/line")) {
            String value = referral.at(pointer).asText();
            assertThat(value).as(pointer).isNotBlank();
            personal.add(value);
        }
        assertThat(fixture.submit(referral).statusCode()).isEqualTo(202);
        referralId = referral.get("referralId").asText();
        ObjectNode invalid = messages.sample("F1-", m -> m.put("schemaVersion", "0.0"));
        assertThat(fixture.submit(invalid).statusCode()).isEqualTo(400);
        fixture.gateway.awaitAuditChained(); // the refusal's entry, as the sequencer chains it within its delay
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void every_role_sees_the_dashboard_with_four_svg_charts_each_beside_its_table_and_no_personal_data() throws Exception {
        for (Role role : Role.values()) {
            ConsoleClient client = new ConsoleClient(fixture.base);
            client.login(role.id(), ConsoleFixture.PASSWORD);

            var home = client.get("/admin/");

            assertThat(home.statusCode()).as(role.id()).isEqualTo(200);
            String page = home.body();
            assertThat(page).contains("<h1>概要</h1>").contains("紹介の状態").contains("配信の状況").contains("督促中の紹介")
                    .contains("監査ログの状態").contains("コネクタの経路");
            assertThat(count(page, "role=\"img\"")).as("one SVG chart per figure").isEqualTo(4);
            for (String chart : List.of("chart-referrals", "chart-deliveries", "chart-latency", "chart-refusals")) {
                assertThat(page).contains("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" id=\"" + chart + "\"")
                        .contains("<title id=\"" + chart + "-title\">").contains("<desc id=\"" + chart + "-desc\">")
                        .contains("aria-labelledby=\"" + chart + "-title " + chart + "-desc\"");
            }
            assertThat(count(page, "（表）</caption>")).as("a table beside each chart").isEqualTo(4);
            assertThat(page).as("the referral sent, by its state").containsPattern("<th scope=\"row\">送付済み</th><td>1</td>");
            assertThat(page).as("the refusal, by its code").contains("<th scope=\"row\">schema.version_unsupported</th>");
            assertThat(page).contains("tsunagi-tax").doesNotContain("<script");
            for (String value : personal) {
                assertThat(page).as(role.id()).doesNotContain(value);
            }
        }
    }

    @Test
    void the_agencies_page_shows_keys_routes_policy_and_config_check_to_administrators_auditors_and_operators() throws Exception {
        for (Role role : Role.values()) {
            ConsoleClient client = new ConsoleClient(fixture.base);
            client.login(role.id(), ConsoleFixture.PASSWORD);

            var agencies = client.get("/admin/agencies");

            if (role == Role.VIEWER) {
                assertThat(agencies.statusCode()).as("閲覧 sees the dashboard only").isEqualTo(403);
                assertThat(client.get("/admin/").body()).doesNotContain("href=\"/admin/agencies\"");
                continue;
            }
            assertThat(agencies.statusCode()).as(role.id()).isEqualTo(200);
            String page = agencies.body();
            assertThat(page).contains("<h1>機関・設定</h1>").contains("href=\"/admin/agencies\"")
                    .contains("tsunagi-tax#1: ES256 (P-256)、").contains("gateway#1: ES256 (P-256)、")
                    .contains("使用中（署名に使用）").contains("許可された連携（policy.yaml）").contains("支援会議（policy.yaml）")
                    .contains("設定の検査（config check）");
            int problems = ConfigurationCheck.of(fixture.conf).problems().size();
            assertThat(problems).as("this conf/ has no routes/ for its route connectors").isPositive();
            assertThat(page).as("the result of config check").contains("設定に " + problems + " 件の問題があります。")
                    .contains("is not the &#39;from&#39; of any route in routes/");
            for (String value : personal) {
                assertThat(page).doesNotContain(value);
            }
        }
    }

    @Test
    void a_certificate_expiring_within_60_days_is_listed_on_the_dashboard() throws Exception {
        Path keys = fixture.keys;
        KeyPair pair = new KeyPair(Pem.readPublicKey(keys.resolve("tsunagi-tax.pub.pem")),
                Pem.readPrivateKey(keys.resolve("tsunagi-tax.key.pem")));
        Files.writeString(keys.resolve("tsunagi-tax.crt.pem"),
                Pem.encode(KeyMaterial.selfSignedCertificate("tsunagi-tax", "tax", pair, Duration.ofDays(30))), StandardCharsets.US_ASCII);
        ConsoleClient client = new ConsoleClient(fixture.base);
        client.login("viewer", ConsoleFixture.PASSWORD);

        String page = client.get("/admin/").body();

        String keysSection = page.substring(page.indexOf("id=\"keys-heading\""), page.indexOf("id=\"routes-heading\""));
        assertThat(keysSection).contains("<td>tsunagi-tax#1</td>").doesNotContain("tsunagi-hub#1");
    }

    @Test
    void a_referral_left_unanswered_past_its_business_days_shows_as_overdue() throws Exception {
        fixture.clock.advance(Duration.ofDays(14));
        ConsoleClient client = new ConsoleClient(fixture.base);
        client.login("viewer", ConsoleFixture.PASSWORD);

        String page = until(client, p -> p.contains("督促中の紹介（1件）"));

        String overdue = page.substring(page.indexOf("id=\"overdue-heading\""), page.indexOf("id=\"keys-heading\""));
        assertThat(overdue).contains("<td>" + referralId + "</td>").contains("<td>tsunagi-tax</td>").contains("<td>tsunagi-hub</td>")
                .contains("<td>送付済み</td>");
    }

    @Test
    void copies_given_up_show_as_dead_letters_with_the_referral_failed() throws Exception {
        fixture.close();
        fixture = new ConsoleFixture(dir.resolve("second"), "tsunagi.delivery.max-attempts=1");
        fixture.account(Role.OPERATOR);
        assertThat(fixture.submit(new TestMessages(fixture.keys).sample("F1-", m -> { })).statusCode()).isEqualTo(202);
        ConsoleClient client = new ConsoleClient(fixture.base);
        client.login("operator", ConsoleFixture.PASSWORD);

        String page = until(client, p -> p.contains("<th scope=\"row\">不達</th><td>1</td>"));

        assertThat(page).containsPattern("<dd id=\"outbox-dead\" class=\"bad-text\">[1-9]</dd>");
        assertThat(page).doesNotContain("<dt>最も古い配信エラーの日時</dt>\n        <dd>なし</dd>");
    }

    /** The dashboard once it shows what the test waits for (the gateway works on its own threads). */
    private static String until(ConsoleClient client, java.util.function.Predicate<String> shown) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String page = client.get("/admin/").body();
        while (!shown.test(page) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            page = client.get("/admin/").body();
        }
        assertThat(shown.test(page)).as(page).isTrue();
        return page;
    }

    private static int count(String text, String what) {
        return (int) Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
    }
}
