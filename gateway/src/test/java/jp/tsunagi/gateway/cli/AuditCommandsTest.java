package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEntry;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.CheckpointPolicy;
import jp.tsunagi.gateway.audit.Provision;
import jp.tsunagi.gateway.audit.ProvisionRecords;
import jp.tsunagi.gateway.audit.SubjectPseudonyms;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** audit verify, audit export and disclose run in-process on an H2 file database in a temporary directory. */
class AuditCommandsTest {
    private static final Path SAMPLES = Path.of("../schemas/samples");
    private static final Path F1 = SAMPLES.resolve("F1-tax-to-hub-payment-consultation.json");

    @TempDir
    Path dir;

    private Path conf;
    private Path keys;
    private String url;

    @BeforeEach
    void gatewayWithATrailOf20Entries() throws Exception {
        conf = Files.createDirectories(dir.resolve("conf"));
        keys = dir.resolve("keys");
        url = "jdbc:h2:file:" + dir.resolve("data/tsunagi").toAbsolutePath();
        Files.writeString(conf.resolve("agencies.yaml"), CliRun.twoAgencies(keys), StandardCharsets.UTF_8);
        assertThat(CliRun.run("keys", "init", "--dir", keys.toString(), "--conf", conf.toString()).exit()).isZero();

        SigningKey gatewayKey = new SigningKey("gateway#1", Pem.readPrivateKey(keys.resolve("gateway.key.pem")));
        AuditChain chain = new AuditChain(gatewayKey, new CheckpointPolicy(10, Duration.ofHours(1)), Clock.systemUTC());
        String subjectRef = SubjectPseudonyms.inKeyDirectory(keys).subjectRefOfDocument(Files.readAllBytes(F1));
        try (Database db = Database.open(url); Connection c = db.dataSource().getConnection()) {
            for (int i = 1; i <= 20; i++) {
                chain.append(c, AuditEvent.of(i % 2 == 0 ? AuditAction.ACCEPTED : AuditAction.DELIVERED, "tsunagi-tax")
                        .withMessage("00000000-0000-4000-8000-0000000000" + (10 + i), "REF-" + i).withSubject(subjectRef)
                        .withCategories(EnumSet.of(DataCategory.IDENTITY, DataCategory.TAX_ARREARS)).withOutcome("ok"));
            }
            new ProvisionRecords().record(c, new Provision("tsunagi-tax", "tsunagi-hub", subjectRef,
                    EnumSet.of(DataCategory.IDENTITY, DataCategory.TAX_ARREARS, DataCategory.CONTACT), LegalBasis.CONSENT,
                    "consent-2024-001", "00000000-0000-4000-8000-000000000012", "REF-2"));
            chain.chainCommitted(db.dataSource()); // what the gateway's sequencer does within its delay
        }
    }

    @Test
    void verify_exits_0_on_an_intact_trail() {
        CliRun verify = CliRun.run("audit", "verify", "--db", url, "--conf", conf.toString(), "--keys", keys.toString());

        assertThat(verify.err()).isEmpty();
        assertThat(verify.exit()).isZero();
        assertThat(verify.out()).startsWith("intact: 20 entries, 2 checkpoints\nhead: seq 20, entry hash ");
    }

    @Test
    void verify_exits_3_naming_the_first_bad_entry_after_a_row_is_changed() throws Exception {
        sql("UPDATE audit_entry SET actor = 'tsunagi-hub' WHERE seq = 7");

        CliRun verify = CliRun.run("audit", "verify", "--db", url, "--conf", conf.toString(), "--keys", keys.toString());

        assertThat(verify.exit()).isEqualTo(3);
        assertThat(verify.out()).startsWith("tampered at seq 7 (changed): ");
    }

    @Test
    void verify_exits_3_when_the_newest_entries_are_deleted() throws Exception {
        sql("DELETE FROM audit_entry WHERE seq > 17");

        CliRun verify = CliRun.run("audit", "verify", "--db", url, "--conf", conf.toString(), "--keys", keys.toString());

        assertThat(verify.exit()).isEqualTo(3);
        assertThat(verify.out()).startsWith("tampered at seq 18 (truncated): ");
    }

    @Test
    void verify_of_a_database_that_does_not_exist_exits_2_and_creates_nothing() {
        Path nowhere = dir.resolve("nowhere/tsunagi");

        CliRun verify = CliRun.run("audit", "verify", "--db", "jdbc:h2:file:" + nowhere.toAbsolutePath(), "--conf", conf.toString(),
                "--keys", keys.toString());

        assertThat(verify.exit()).isEqualTo(2);
        assertThat(verify.err()).contains("cannot open the database").doesNotContain("\tat ");
        assertThat(dir.resolve("nowhere")).doesNotExist();
    }

    @Test
    void the_database_url_is_read_from_gateway_properties() throws IOException {
        Files.writeString(conf.resolve("gateway.properties"), "tsunagi.db.url=" + url + "\ntsunagi.keys.dir=" + keys + "\n");

        CliRun verify = CliRun.run("audit", "verify", "--conf", conf.toString());

        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("intact: 20 entries");
    }

    @Test
    void export_writes_json_lines_records_itself_and_leaves_the_trail_intact() {
        CliRun export = CliRun.run("audit", "export", "--db", url, "--conf", conf.toString(), "--keys", keys.toString(),
                "--actor", "yamada");

        assertThat(export.exit()).as(export.err()).isZero();
        List<String> lines = export.out().lines().toList();
        assertThat(lines).hasSize(21);
        assertThat(lines.get(0)).startsWith("{\"seq\":1,\"at\":\"").contains("\"prevHash\":\"" + "0".repeat(64) + "\"");
        assertThat(lines.get(20)).contains("\"action\":\"AUDIT_EXPORTED\"", "\"actor\":\"yamada\"", "\"code\":\"jsonl:../..\"");
        assertThat(export.out()).doesNotContain("佐藤", "サトウ");
        assertThat(CliRun.run("audit", "verify", "--db", url, "--conf", conf.toString(), "--keys", keys.toString()).out())
                .startsWith("intact: 21 entries");
    }

    @Test
    void export_writes_csv_of_a_range() {
        CliRun export = CliRun.run("audit", "export", "--format", "csv", "--from", "2000-01-01", "--to", "2999-12-31",
                "--db", url, "--conf", conf.toString(), "--keys", keys.toString());

        assertThat(export.exit()).as(export.err()).isZero();
        String[] rows = export.out().split("\r\n");
        assertThat(rows[0]).startsWith("seq,at,actor,action,");
        assertThat(rows).hasSize(22);
        assertThat(rows[1]).contains(",\"IDENTITY,TAX_ARREARS\",");
    }

    @Test
    void export_with_a_bad_time_or_format_exits_2() {
        assertThat(CliRun.run("audit", "export", "--from", "yesterday", "--db", url, "--conf", conf.toString(), "--keys",
                keys.toString()).exit()).isEqualTo(2);
        assertThat(CliRun.run("audit", "export", "--format", "xml", "--db", url, "--conf", conf.toString(), "--keys",
                keys.toString()).err()).contains("jsonl or csv");
    }

    @Test
    void disclose_prints_the_provision_records_of_the_person_in_a_message_and_is_audited() {
        CliRun disclose = CliRun.run("disclose", "--subject", F1.toString(), "--db", url, "--conf", conf.toString(),
                "--keys", keys.toString(), "--actor", "yamada");

        assertThat(disclose.exit()).as(disclose.err()).isZero();
        assertThat(disclose.out()).contains("提供記録の開示", "1 件", "つなぎ市税務課 (tsunagi-tax)",
                "つなぎ市自立相談支援センター (tsunagi-hub)", "本人同意 consent-2024-001", "税の滞納", "連絡先", "REF-2")
                .doesNotContain("佐藤", "サトウ");
        CliRun export = CliRun.run("audit", "export", "--db", url, "--conf", conf.toString(), "--keys", keys.toString());
        assertThat(export.out().lines().toList().get(20)).contains("\"action\":\"DISCLOSED\"", "\"actor\":\"yamada\"");
    }

    @Test
    void disclose_of_a_file_that_names_nobody_exits_2() {
        CliRun disclose = CliRun.run("disclose", "--subject", SAMPLES.resolve("F10-hub-consent-withdrawal.json").toString(),
                "--db", url, "--conf", conf.toString(), "--keys", keys.toString());

        assertThat(disclose.exit()).isEqualTo(2);
        assertThat(disclose.err()).contains("names no person");
    }

    @Test
    void disclose_without_the_pseudonym_key_exits_2_and_creates_none() throws IOException {
        Files.delete(keys.resolve("audit-hmac.key"));

        CliRun disclose = CliRun.run("disclose", "--subject", F1.toString(), "--db", url, "--conf", conf.toString(), "--keys", keys.toString());

        assertThat(disclose.exit()).isEqualTo(2);
        assertThat(disclose.err()).contains("no pseudonym key");
        assertThat(keys.resolve("audit-hmac.key")).doesNotExist();
    }

    @Test
    void a_bundle_verifies_without_the_database() throws Exception {
        Path bundle = exportBundle();
        deleteDirectory(dir.resolve("data"));

        CliRun verify = CliRun.run("audit", "verify", "--bundle", bundle.toString());

        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).startsWith("intact: 21 entries, 2 checkpoints\nhead: seq 21, entry hash ")
                .contains("bundle key: gateway#1 sha256:");
    }

    @Test
    void editing_an_entry_of_a_bundle_makes_verify_exit_3() throws Exception {
        Path bundle = exportBundle();
        String text = Files.readString(bundle);
        Files.writeString(bundle, text.replaceFirst("\"actor\":\"tsunagi-tax\"", "\"actor\":\"tsunagi-hub\""));

        CliRun verify = CliRun.run("audit", "verify", "--bundle", bundle.toString());

        assertThat(verify.exit()).isEqualTo(3);
        assertThat(verify.out()).startsWith("tampered at seq 1 (changed): ");
    }

    @Test
    void recomputing_every_hash_after_an_edit_of_a_bundle_does_not_hide_it() throws Exception {
        Path bundle = exportBundle();
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(bundle.toFile());
        String prev = null;
        for (JsonNode node : root.get("entries")) {
            ObjectNode entry = (ObjectNode) node;
            if (entry.get("seq").asLong() == 5) {
                entry.put("actor", "tsunagi-hub");
            }
            if (prev != null) {
                entry.put("prevHash", prev);
            }
            prev = new AuditEntry(entry.get("seq").asLong(), OffsetDateTime.parse(entry.get("at").asText()),
                    entry.get("actor").asText(), entry.get("action").asText(), entry.get("messageId").asText(),
                    entry.get("referralId").asText(), entry.get("subjectRef").textValue(),
                    entry.get("dataCategories").textValue(), entry.get("basis").textValue(),
                    entry.get("outcome").textValue(), entry.get("code").textValue(), entry.get("prevHash").asText(), null)
                    .recomputeHash();
            entry.put("entryHash", prev);
        }
        Files.writeString(bundle, root.toString());

        CliRun verify = CliRun.run("audit", "verify", "--bundle", bundle.toString());

        assertThat(verify.exit()).isEqualTo(3);
        // seq 5 lies between the checkpoints at seq 1 and 11: the range between them is named, from its first entry
        assertThat(verify.out()).startsWith("tampered at seq 2 (rewritten): ").contains("entries from seq 2 to 11");
    }

    @Test
    void a_file_that_is_not_a_bundle_exits_2() throws Exception {
        Path notABundle = Files.writeString(dir.resolve("x.json"), "{\"entries\":[]}");

        CliRun verify = CliRun.run("audit", "verify", "--bundle", notABundle.toString());

        assertThat(verify.exit()).isEqualTo(2);
        assertThat(verify.err()).contains("not a Tsunagi audit bundle");
    }

    private Path exportBundle() {
        Path bundle = dir.resolve("audit.bundle.json");
        CliRun export = CliRun.run("audit", "export", "--bundle", bundle.toString(), "--db", url, "--conf",
                conf.toString(), "--keys", keys.toString(), "--actor", "yamada");
        assertThat(export.exit()).as(export.err()).isZero();
        return bundle;
    }

    private static void deleteDirectory(Path directory) throws IOException {
        try (var files = Files.walk(directory)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @ParameterizedTest(name = "tsunagi {0} --help")
    @ValueSource(strings = {"audit", "audit verify", "audit export", "disclose"})
    void every_audit_command_answers_help(String command) {
        StringWriter help = new StringWriter();
        CommandLine commandLine = new CommandLine(new TsunagiCli());
        commandLine.setOut(new PrintWriter(help));

        int exit = commandLine.execute((command + " --help").split(" "));

        assertThat(exit).isZero();
        assertThat(help.toString()).startsWith("Usage: tsunagi " + command).contains("-h, --help")
                .containsAnyOf("監査ログ", "提供記録");
    }

    @Test
    void usage_errors_exit_2() {
        assertThat(CliRun.run("disclose").exit()).as("missing --subject").isEqualTo(2);
        assertThat(CliRun.run("audit").exit()).as("missing subcommand").isEqualTo(2);
    }

    private void sql(String statement) throws Exception {
        try (Database db = Database.open(url); Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }


}
