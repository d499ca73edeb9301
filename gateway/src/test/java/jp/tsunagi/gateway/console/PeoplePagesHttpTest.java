package jp.tsunagi.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.JapanTime;
import jp.tsunagi.schema.codec.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The consents (同意) and disclosure (本人開示) pages over plain HTTP: roles on the server, rules, audit, canary. */
class PeoplePagesHttpTest {
    private static final String FAMILY = "鳥羽";
    private static final String GIVEN = "カナリア";
    private static final String PHONE = "090-0000-4649";

    @TempDir
    Path dir;

    private PeopleFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void every_new_page_is_refused_on_the_server_to_the_roles_that_may_not_open_it() throws Exception {
        f = new PeopleFixture(dir);
        assertThat(f.g.send(f.g.sample("F3-")).statusCode()).isEqualTo(202);
        Map<Role, List<Integer>> expected = Map.of( // consents, disclosure form, disclosure, download, counter withdrawal
                Role.VIEWER, List.of(403, 403, 403, 403, 403),
                Role.OPERATOR, List.of(200, 403, 403, 403, 403),
                Role.AUDITOR, List.of(200, 200, 200, 200, 403),
                Role.ADMINISTRATOR, List.of(200, 200, 200, 200, 303));
        for (Role role : List.of(Role.VIEWER, Role.OPERATOR, Role.AUDITOR, Role.ADMINISTRATOR)) {
            ConsoleClient client = new ConsoleClient(f.base);
            client.login(role.id(), ConsoleFixture.PASSWORD);
            String csrf = ConsoleClient.csrf(client.get("/admin/").body());
            List<HttpResponse<String>> answers = List.of(
                    client.get("/admin/consents"),
                    client.get("/admin/disclosure"),
                    client.post("/admin/disclosure/show", person(csrf, "disclosure")),
                    client.post("/admin/disclosure/download", concat(person(csrf, "disclosure"), "format", "json")),
                    client.post("/admin/consents/withdraw", withdrawal(csrf, "CNS-2026-9901", "tsunagi-hub", pastMinutes(5))));
            assertThat(answers.stream().map(HttpResponse::statusCode).toList()).as(role.id()).isEqualTo(expected.get(role));
            for (HttpResponse<String> answer : answers) {
                if (answer.statusCode() == 403) {
                    assertThat(answer.body()).contains("権限がありません").doesNotContain(PeopleFixture.KANA_FAMILY);
                }
            }
            if (role != Role.ADMINISTRATOR) {
                assertThat(f.strings("SELECT consent_id FROM consent_withdrawal")).as("refused: nothing recorded").isEmpty();
            }
        }
        assertThat(f.strings("SELECT consent_id FROM consent_withdrawal")).containsExactly("CNS-2026-9901");
        assertThat(f.strings("SELECT DISTINCT actor FROM audit_entry WHERE action = 'DISCLOSED' ORDER BY actor"))
                .containsExactly("administrator", "auditor");
        assertThat(f.chainIntact()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void a_counter_withdrawal_follows_the_rules_of_a_withdrawal_message_and_a_refused_one_changes_nothing(TestDatabases.Kind kind)
            throws Exception {
        f = new PeopleFixture(dir, kind);
        assertThat(f.g.send(f.g.sample("F3-")).statusCode()).isEqualTo(202);
        f.g.awaitCopies("tsunagi-welfare", 1);
        ConsoleClient admin = new ConsoleClient(f.base);
        admin.login("administrator", ConsoleFixture.PASSWORD);
        String csrf = ConsoleClient.csrf(admin.get("/admin/").body());

        // the tax desk never held or used the consent: the answer a withdrawal message from it gets
        HttpResponse<String> notAHolder = admin.post("/admin/consents/withdraw",
                withdrawal(csrf, PeopleFixture.CONSENT, "tsunagi-tax", pastMinutes(5)));
        assertThat(notAHolder.statusCode()).isEqualTo(403);
        assertThat(notAHolder.body()).contains("lifecycle.not_a_party");
        // a withdrawal dated in the future is refused like such a message
        HttpResponse<String> future = admin.post("/admin/consents/withdraw",
                withdrawal(csrf, PeopleFixture.CONSENT, "tsunagi-welfare", pastMinutes(-60)));
        assertThat(future.statusCode()).isEqualTo(422);
        assertThat(future.body()).contains("field.date_in_future");
        // a form without its reason never reaches the intake
        HttpResponse<String> noReason = admin.post("/admin/consents/withdraw", "_csrf", csrf, "consentId",
                PeopleFixture.CONSENT, "recordedBy", "tsunagi-welfare", "withdrawnAt", pastMinutes(5), "method", "WRITTEN");
        assertThat(noReason.statusCode()).isEqualTo(400);

        assertThat(f.strings("SELECT consent_id FROM consent_withdrawal")).as("nothing changed").isEmpty();
        assertThat(f.strings("SELECT code FROM audit_entry WHERE action = 'REJECTED' AND actor = 'administrator' ORDER BY seq"))
                .containsExactly("lifecycle.not_a_party", "field.date_in_future", "console.input_invalid");

        // the welfare office received data under it: it may
        HttpResponse<String> recorded = admin.post("/admin/consents/withdraw",
                withdrawal(csrf, PeopleFixture.CONSENT, "tsunagi-welfare", pastMinutes(5)));
        assertThat(recorded.statusCode()).isEqualTo(303);
        assertThat(recorded.headers().firstValue("Location")).hasValue("/admin/consents?id=CNS-2026-0043&recorded=1");
        assertThat(f.strings("SELECT consent_id FROM consent_withdrawal")).containsExactly(PeopleFixture.CONSENT);
        assertThat(f.strings("SELECT code FROM audit_entry WHERE action = 'CONSENT_WITHDRAWN' AND actor = 'administrator'"))
                .containsExactly("counter:in_person");
        // the copy was delivered before: nothing to stop; the only agency holding data under it withdrew it itself
        String page = admin.get("/admin/consents?id=" + PeopleFixture.CONSENT).body();
        assertThat(page).contains("撤回により停止した配信（0件）").contains("通知した機関はありません");
        assertThat(admin.get("/admin/consents").body()).contains(PeopleFixture.CONSENT);
        assertThat(admin.get("/admin/consents?id=" + "no%20such").statusCode()).isEqualTo(400);
        assertThat(f.chainIntact()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void a_disclosure_needs_a_purpose_is_recorded_with_it_and_downloads_as_json_and_csv(TestDatabases.Kind kind) throws Exception {
        f = new PeopleFixture(dir, kind);
        assertThat(f.g.send(f.g.sample("F3-")).statusCode()).isEqualTo(202);
        f.await("SELECT COUNT(*) FROM outbox WHERE referral_id = '" + PeopleFixture.REFERRAL + "' AND status = 'DELIVERED'",
                n -> n == 1);
        ConsoleClient auditor = new ConsoleClient(f.base);
        auditor.login("auditor", ConsoleFixture.PASSWORD);
        String csrf = ConsoleClient.csrf(auditor.get("/admin/disclosure").body());

        HttpResponse<String> noPurpose = auditor.post("/admin/disclosure/show", person(csrf, ""));
        assertThat(noPurpose.statusCode()).isEqualTo(400);
        assertThat(noPurpose.body()).contains("利用目的を選んでください");
        assertThat(f.number("SELECT COUNT(*) FROM audit_entry WHERE action = 'DISCLOSED'")).isZero();

        String subjectRef = f.strings("SELECT subject_ref FROM provision_record").get(0);
        // an earlier look at the person's entries in the audit trail page
        assertThat(auditor.get("/admin/audit?subject=" + subjectRef + "&purpose=incident").statusCode()).isEqualTo(200);

        HttpResponse<String> shown = auditor.post("/admin/disclosure/show", person(csrf, "disclosure"));
        assertThat(shown.statusCode()).isEqualTo(200);
        assertThat(shown.body()).contains("提供記録（1件）").contains("tsunagi-welfare").contains("配信済み")
                .contains("2027-03-31 23:59:59 まで有効").contains("管理画面での閲覧（2件、この開示を含む）")
                .contains("監査ログ閲覧").contains("事故・苦情の調査");

        // the same person in hiragana: the pseudonym is of the reading, however it is written
        HttpResponse<String> json = auditor.post("/admin/disclosure/download", "_csrf", csrf, "kanaFamily", "やまもと",
                "kanaGiven", "まこと", "birthDate", PeopleFixture.BIRTH_DATE, "purpose", "disclosure", "format", "json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment; filename=\"disclosure-");
        JsonNode file = JsonCodec.parse(json.body().getBytes(StandardCharsets.UTF_8));
        assertThat(file.at("/person/subjectRef").asText()).isEqualTo(subjectRef);
        assertThat(file.at("/provisions/0/recipient").asText()).isEqualTo("tsunagi-welfare");
        assertThat(file.at("/provisions/0/basisRef").asText()).isEqualTo(PeopleFixture.CONSENT);
        assertThat(file.at("/provisions/0/delivery").asText()).isEqualTo("DELIVERED");
        assertThat(file.at("/consoleViews").findValuesAsText("outcome")).containsExactly("listed", "disclosed", "exported.json");

        HttpResponse<String> csv = auditor.post("/admin/disclosure/download", concat(person(csrf, "audit"), "format", "csv"));
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).startsWith("\uFEFF種別,日時");
        assertThat(lines).filteredOn(l -> l.startsWith("提供,")).hasSize(1);
        assertThat(lines).filteredOn(l -> l.startsWith("閲覧,")).hasSize(4);

        assertThat(f.strings("SELECT basis || ' ' || outcome || ' ' || subject_ref FROM audit_entry WHERE action = 'DISCLOSED'"
                + " ORDER BY seq")).containsExactly("PURPOSE:disclosure disclosed " + subjectRef,
                "PURPOSE:disclosure exported.json " + subjectRef, "PURPOSE:audit exported.csv " + subjectRef);
        assertThat(f.actionsOf("auditor")).containsExactly("CONSOLE_LOGIN:ok", "REJECTED:rejected.400", "AUDIT_READ:listed", "DISCLOSED:disclosed",
                "DISCLOSED:exported.json", "DISCLOSED:exported.csv");
        assertThat(f.chainIntact()).isTrue();
    }

    @Test
    void a_disclosure_that_cannot_be_recorded_is_not_shown() throws Exception {
        f = new PeopleFixture(dir);
        assertThat(f.g.send(f.g.sample("F3-")).statusCode()).isEqualTo(202);
        f.await("SELECT COUNT(*) FROM provision_record", n -> n == 1);
        ConsoleClient auditor = new ConsoleClient(f.base);
        auditor.login("auditor", ConsoleFixture.PASSWORD);
        String csrf = ConsoleClient.csrf(auditor.get("/admin/disclosure").body());
        try (var c = f.dataSource().getConnection(); var s = c.createStatement()) { // the trail refuses the entry
            // the business transaction writes audit_pending (architecture D12): there the entry is refused
            s.execute("ALTER TABLE audit_pending ADD CONSTRAINT no_disclosure CHECK (action <> 'DISCLOSED') NOCHECK");
        }

        HttpResponse<String> shown = auditor.post("/admin/disclosure/show", person(csrf, "disclosure"));
        HttpResponse<String> json = auditor.post("/admin/disclosure/download", concat(person(csrf, "disclosure"), "format", "json"));

        assertThat(shown.statusCode()).isEqualTo(503);
        assertThat(json.statusCode()).isEqualTo(503);
        for (HttpResponse<String> answer : List.of(shown, json)) {
            assertThat(answer.body()).doesNotContain("tsunagi-welfare").doesNotContain(PeopleFixture.CONSENT)
                    .doesNotContain(f.strings("SELECT subject_ref FROM provision_record").get(0));
        }
    }

    @Test
    void no_personal_data_reaches_an_operator_or_a_viewer_nor_the_logs() throws Exception {
        f = new PeopleFixture(dir);
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            ObjectNode referral = f.g.sample("F3-", m -> {
                ((ObjectNode) m.at("/referral/subject/name")).put("family", FAMILY).put("given", GIVEN);
                ((ArrayNode) m.at("/referral/subject/contact/phones")).removeAll().add(PHONE);
            });
            assertThat(f.g.send(referral).statusCode()).isEqualTo(202);
            f.g.awaitCopies("tsunagi-welfare", 1);
            String subjectRef = f.strings("SELECT subject_ref FROM provision_record").get(0);

            List<String> pages = new ArrayList<>();
            for (Role role : List.of(Role.OPERATOR, Role.VIEWER)) {
                ConsoleClient client = new ConsoleClient(f.base);
                client.login(role.id(), ConsoleFixture.PASSWORD);
                for (String path : List.of("/admin/", "/admin/consents", "/admin/consents?id=" + PeopleFixture.CONSENT,
                        "/admin/disclosure")) {
                    pages.add(client.get(path).body());
                }
            }
            assertThat(pages.get(2)).as("the operator sees the consent's uses").contains(PeopleFixture.REFERRAL);
            for (String page : pages) {
                assertThat(page).doesNotContain(FAMILY).doesNotContain(GIVEN).doesNotContain(PHONE)
                        .doesNotContain(PeopleFixture.KANA_FAMILY).doesNotContain(PeopleFixture.BIRTH_DATE)
                        .as("not even the pseudonym").doesNotContain(subjectRef);
            }
            ConsoleClient admin = new ConsoleClient(f.base);
            admin.login("administrator", ConsoleFixture.PASSWORD);
            assertThat(admin.get("/admin/consents?id=" + PeopleFixture.CONSENT).body()).as("whose consent, as a pseudonym")
                    .contains(subjectRef).doesNotContain(FAMILY).doesNotContain(PeopleFixture.KANA_FAMILY);
            String csrf = ConsoleClient.csrf(admin.get("/admin/").body());
            assertThat(admin.post("/admin/disclosure/show", person(csrf, "disclosure")).statusCode()).isEqualTo(200);

            String logged = logs.toString(StandardCharsets.UTF_8);
            for (String value : List.of(FAMILY, GIVEN, PHONE, PeopleFixture.KANA_FAMILY, PeopleFixture.KANA_GIVEN)) {
                assertThat(logged).doesNotContain(value);
            }
        } finally {
            System.setErr(originalErr);
        }
    }

    private static String[] person(String csrf, String purpose) {
        return new String[] {"_csrf", csrf, "kanaFamily", PeopleFixture.KANA_FAMILY, "kanaGiven", PeopleFixture.KANA_GIVEN,
                "birthDate", PeopleFixture.BIRTH_DATE, "purpose", purpose};
    }

    private static String[] withdrawal(String csrf, String consentId, String recordedBy, String withdrawnAt) {
        return new String[] {"_csrf", csrf, "consentId", consentId, "recordedBy", recordedBy, "withdrawnAt", withdrawnAt,
                "method", "WRITTEN", "reason", "in_person"};
    }

    /** A datetime-local value (Japan time) this many minutes ago (negative: ahead). */
    static String pastMinutes(long minutes) {
        return LocalDateTime.now(JapanTime.ZONE).minusMinutes(minutes).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String[] concat(String[] form, String... more) {
        String[] all = java.util.Arrays.copyOf(form, form.length + more.length);
        System.arraycopy(more, 0, all, form.length, more.length);
        return all;
    }
}
