package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.operations.DeadLetterScenario;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The referral and dead-letter pages over HTTP against a running gateway with two dead letters: roles, audit, canary. */
class OperationsConsoleTest {
    private static final String FAMILY = "鳥羽";
    private static final String GIVEN = "カナリア";
    private static final String PHONE = "090-0000-4649";

    @TempDir
    Path dir;

    @Test
    void every_page_and_action_checks_the_role_on_the_server() throws Exception {
        try (GatewayFixture g = gateway("")) {
            DeadLetterScenario s = new DeadLetterScenario(g);
            String referral = "/admin/referrals/show?id=" + DeadLetterScenario.UNDER_MEETING;
            String letter = "/admin/deadletters/show?id=" + s.underMeeting;
            Map<String, List<Role>> pages = Map.of(
                    "/admin/referrals", List.of(Role.ADMINISTRATOR, Role.AUDITOR, Role.OPERATOR),
                    referral, List.of(Role.ADMINISTRATOR, Role.AUDITOR, Role.OPERATOR),
                    "/admin/deadletters", List.of(Role.ADMINISTRATOR, Role.AUDITOR, Role.OPERATOR),
                    letter, List.of(Role.ADMINISTRATOR, Role.AUDITOR, Role.OPERATOR));
            for (Role role : Role.values()) {
                ConsoleClient client = logIn(g, role.id());
                for (var page : pages.entrySet()) {
                    assertThat(client.get(page.getKey()).statusCode()).as(role + " " + page.getKey())
                            .isEqualTo(page.getValue().contains(role) ? 200 : 403);
                }
                String csrf = ConsoleClient.csrf(client.get("/admin/").body());
                for (String action : List.of("/admin/deadletters/requeue", "/admin/deadletters/cancel",
                        "/admin/deadletters/approve")) {
                    // an administrator gets past the role check, to the missing reason or request
                    int status = client.post(action, "_csrf", csrf, "id", Long.toString(s.underMeeting), "reason", " ").statusCode();
                    assertThat(status).as(role + " POST " + action).isEqualTo(role == Role.ADMINISTRATOR ? status : 403);
                    assertThat(status).as(role + " POST " + action).isNotEqualTo(role == Role.ADMINISTRATOR ? 403 : 200);
                }
                if (role != Role.AUDITOR) {
                    assertThat(client.get(referral + "&purpose=audit").statusCode()).as(role + " asks for the person").isEqualTo(403);
                }
            }
            assertThat(s.number("SELECT COUNT(*) FROM outbox WHERE status = 'DEAD' AND cancelled_at IS NULL")).as("nothing changed")
                    .isEqualTo(2);
            assertThat(s.number("SELECT COUNT(*) FROM dead_letter_request WHERE state = 'DONE'")).isZero();
            assertThat(s.chainIntact()).isTrue();
        }
    }

    @Test
    void no_page_shows_the_person_to_an_operator_or_an_administrator_and_an_auditor_sees_the_pseudonym_only_with_a_purpose()
            throws Exception {
        try (GatewayFixture g = gateway("")) {
            DeadLetterScenario s = new DeadLetterScenario(g, g.sample("F3-", m -> {
                ((ObjectNode) m.at("/referral/subject/name")).put("family", FAMILY).put("given", GIVEN);
                ((ArrayNode) m.at("/referral/subject/contact/phones")).removeAll().add(PHONE);
            }));
            String subjectRef = s.strings("SELECT subject_ref FROM referral WHERE referral_id = '"
                    + DeadLetterScenario.UNDER_CONSENT + "'").get(0);
            String referral = "/admin/referrals/show?id=" + DeadLetterScenario.UNDER_CONSENT;
            for (Role role : List.of(Role.OPERATOR, Role.VIEWER, Role.ADMINISTRATOR, Role.AUDITOR)) {
                ConsoleClient client = logIn(g, role.id());
                for (String page : List.of("/admin/referrals", referral, "/admin/deadletters",
                        "/admin/deadletters/show?id=" + s.underConsent)) {
                    String body = client.get(page).body();
                    assertThat(body).as(role + " " + page).doesNotContain(FAMILY).doesNotContain(GIVEN).doesNotContain(PHONE)
                            .doesNotContain(subjectRef);
                }
            }

            ConsoleClient auditor = logIn(g, "auditor");
            String shown = auditor.get(referral + "&purpose=audit").body();

            assertThat(shown).contains(subjectRef).contains("CNS-2026-0043").doesNotContain(FAMILY).doesNotContain(PHONE);
            assertThat(s.strings("SELECT outcome || ' ' || basis || ' ' || subject_ref FROM audit_entry"
                    + " WHERE action = 'REFERRAL_VIEWED' AND actor = 'auditor' AND subject_ref IS NOT NULL"))
                    .containsExactly("viewed.subject PURPOSE:audit " + subjectRef);
            assertThat(s.number("SELECT COUNT(*) FROM audit_entry WHERE action = 'REFERRAL_VIEWED' AND actor = 'operator'"))
                    .isEqualTo(1);
            // the person's disclosure lists that view among the looks at her records; the operator's, without her, not
            String disclosure = auditor.post("/admin/disclosure/show", "_csrf", ConsoleClient.csrf(auditor.get("/admin/disclosure").body()),
                    "kanaFamily", PeopleFixture.KANA_FAMILY, "kanaGiven", PeopleFixture.KANA_GIVEN,
                    "birthDate", PeopleFixture.BIRTH_DATE, "purpose", "disclosure").body();
            String views = disclosure.substring(disclosure.indexOf("管理画面での閲覧"));
            assertThat(views).contains("<td>auditor</td>").contains(AuditAction.REFERRAL_VIEWED.label())
                    .doesNotContain("<td>operator</td>");
            assertThat(s.chainIntact()).isTrue();
        }
    }

    @Test
    void under_the_two_person_rule_a_requeue_waits_for_another_administrator_and_the_asker_cannot_approve_it() throws Exception {
        try (GatewayFixture g = gateway("tsunagi.console.requeue-approval=true\n")) {
            DeadLetterScenario s = new DeadLetterScenario(g);
            g.recipients.answerWith("tsunagi-welfare", 200);
            ConsoleClient first = logIn(g, "administrator");
            String csrf = ConsoleClient.csrf(first.get("/admin/deadletters").body());

            HttpResponse<String> asked = first.post("/admin/deadletters/requeue", "_csrf", csrf,
                    "copy-" + s.underMeeting, "on", "reason", "endpoint fixed");
            assertThat(asked.body()).contains("別の管理者の承認を待っています");
            long request = s.number("SELECT id FROM dead_letter_request WHERE state = 'AWAITING_APPROVAL'");
            assertThat(s.number("SELECT COUNT(*) FROM outbox WHERE id = " + s.underMeeting + " AND status = 'DEAD'")).isEqualTo(1);

            HttpResponse<String> own = first.post("/admin/deadletters/approve", "_csrf", csrf, "request", Long.toString(request));
            assertThat(own.body()).contains("approval.own_request").contains("自分の申請は承認できません");

            ConsoleClient second = logIn(g, "administrator2");
            HttpResponse<String> approved = second.post("/admin/deadletters/approve", "_csrf",
                    ConsoleClient.csrf(second.get("/admin/deadletters").body()), "request", Long.toString(request));
            assertThat(approved.body()).contains("再送しました");

            g.awaitCopy("tsunagi-hub", m -> DeadLetterScenario.isNotice(m, DeadLetterScenario.UNDER_MEETING, "RECEIVED"));
            assertThat(s.history(DeadLetterScenario.UNDER_MEETING)).containsExactly("SENT", "FAILED", "RECEIVED");
            assertThat(s.strings("SELECT actor || ':' || action || ':' || outcome FROM audit_entry WHERE action IN"
                    + " ('DEAD_LETTER_REQUEUED', 'DEAD_LETTER_APPROVED')"
                    + " ORDER BY seq")).containsExactly("administrator:DEAD_LETTER_REQUEUED:awaiting_approval",
                    "administrator:DEAD_LETTER_APPROVED:refused", "administrator2:DEAD_LETTER_APPROVED:requeued");
            assertThat(s.strings("SELECT state || ':' || requested_by || ':' || decided_by FROM dead_letter_request"))
                    .containsExactly("DONE:administrator:administrator2");
            assertThat(s.chainIntact()).isTrue();
        }
    }

    /** A gateway on the simulator, with an account of each role (named after it) and a second administrator. */
    private GatewayFixture gateway(String properties) throws Exception {
        GatewayFixture g = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> Files.writeString(
                conf.resolve("gateway.properties"), "\n" + properties, StandardOpenOption.APPEND));
        AuditChain chain = new AuditChain(new SigningKey("gateway#1",
                Pem.readPrivateKey(g.dir.resolve("keys/gateway.key.pem"))));
        Accounts accounts = new Accounts(g.gateway.database().dataSource(), chain,
                ConsoleSettings.inConfDirectory(g.dir.resolve("conf")), Clock.systemUTC());
        for (Role role : Role.values()) {
            accounts.add(role.id(), role, ConsoleFixture.PASSWORD.toCharArray(), false, "test-setup");
        }
        accounts.add("administrator2", Role.ADMINISTRATOR, ConsoleFixture.PASSWORD.toCharArray(), false, "test-setup");
        return g;
    }

    private static ConsoleClient logIn(GatewayFixture g, String name) throws Exception {
        ConsoleClient client = new ConsoleClient(g.uri("").toString());
        assertThat(client.login(name, ConsoleFixture.PASSWORD).statusCode()).isEqualTo(303);
        return client;
    }
}
