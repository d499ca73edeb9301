package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line run in-process, with its configuration and keys in a temporary directory. */
class TsunagiCliTest {
    private static final Path SAMPLES = Path.of("../schemas/samples");
    private static final List<String> IDS = List.of("gateway", "tsunagi-hub", "tsunagi-tax");

    @TempDir
    Path dir;

    private Path conf;
    private Path keys;

    @BeforeEach
    void writeConfiguration() throws IOException {
        conf = Files.createDirectories(dir.resolve("conf"));
        keys = dir.resolve("keys");
        Files.writeString(conf.resolve("agencies.yaml"), CliRun.twoAgencies(keys), StandardCharsets.UTF_8);
    }

    @Test
    void keys_init_creates_the_three_pem_files_of_the_gateway_and_of_every_agency() {
        CliRun run = CliRun.run("keys", "init", "--dir", keys.toString(), "--conf", conf.toString());

        assertThat(run.exit()).isZero();
        for (String id : IDS) {
            assertThat(keys.resolve(id + ".key.pem")).content().startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(keys.resolve(id + ".pub.pem")).content().startsWith("-----BEGIN PUBLIC KEY-----");
            assertThat(keys.resolve(id + ".crt.pem")).content().startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(run.out()).containsOnlyOnce("created " + id + ":");
        }
        assertThat(run.out().lines()).hasSize(3);
    }

    @Test
    void keys_init_keeps_existing_keys_and_says_so() throws IOException {
        CliRun.run("keys", "init", "--dir", keys.toString(), "--conf", conf.toString());
        String hubKey = Files.readString(keys.resolve("tsunagi-hub.key.pem"));
        Files.delete(keys.resolve("tsunagi-tax.key.pem"));

        CliRun again = CliRun.run("keys", "init", "--dir", keys.toString(), "--conf", conf.toString());

        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("kept    gateway:", "kept    tsunagi-hub:", "created tsunagi-tax:");
        assertThat(keys.resolve("tsunagi-hub.key.pem")).hasContent(hubKey);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"F1-tax-to-hub-payment-consultation.json", "F1-tax-to-hub-payment-consultation.xml"})
    void a_sample_signed_by_its_sender_verifies_as_valid(String sample) throws IOException {
        Path signed = signedSample(sample);

        CliRun verify = CliRun.run("verify", signed.toString(), "--conf", conf.toString());

        assertThat(verify.out()).isEqualTo("valid" + System.lineSeparator());
        assertThat(verify.exit()).isZero();
        assertThat(verify.err()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"F1-tax-to-hub-payment-consultation.json", "F1-tax-to-hub-payment-consultation.xml"})
    void one_changed_character_in_a_signed_message_makes_verify_fail(String sample) throws IOException {
        Path signed = signedSample(sample);
        String text = Files.readString(signed);
        assertThat(text).containsOnlyOnce("REF-2026-000123");
        Files.writeString(signed, text.replace("REF-2026-000123", "REF-2026-000124"));

        CliRun verify = CliRun.run("verify", signed.toString(), "--conf", conf.toString());

        assertThat(verify.exit()).isEqualTo(1);
        assertThat(verify.out()).startsWith("signature.invalid").doesNotContain("valid" + System.lineSeparator());
        assertThat(verify.out() + verify.err()).doesNotContain("\tat ", "Exception");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"F1-tax-to-hub-payment-consultation.json", "F1-tax-to-hub-payment-consultation.xml"})
    void verify_with_the_key_of_another_agency_fails(String sample) throws IOException {
        Path signed = signedSample(sample);

        CliRun other = CliRun.run("verify", signed.toString(), "--key", keys.resolve("tsunagi-hub.pub.pem").toString());
        CliRun own = CliRun.run("verify", signed.toString(), "--key", keys.resolve("tsunagi-tax.crt.pem").toString());

        assertThat(other.exit()).isEqualTo(1);
        assertThat(other.out()).startsWith("signature.invalid");
        assertThat(own.out()).as("the sender's certificate holds the right key").isEqualTo("valid" + System.lineSeparator());
        assertThat(own.exit()).isZero();
    }

    @Test
    void a_message_signed_by_an_agency_that_is_not_its_sender_is_not_valid_against_the_registry() throws IOException {
        CliRun.run("keys", "init", "--dir", keys.toString(), "--conf", conf.toString());
        // the hub signs the tax desk's message: a genuine signature, but the key does not speak for the sender
        byte[] document = Files.readAllBytes(SAMPLES.resolve("F1-tax-to-hub-payment-consultation.json"));
        var hubKey = new SigningKey("tsunagi-hub#1",
                Pem.readPrivateKey(keys.resolve("tsunagi-hub.key.pem")));
        Path signed = Files.write(dir.resolve("by-hub.json"), MessageSignatures.sign(document, hubKey));

        CliRun verify = CliRun.run("verify", signed.toString(), "--conf", conf.toString());
        CliRun sign = CliRun.run("sign", "--as", "tsunagi-hub", SAMPLES.resolve("F1-tax-to-hub-payment-consultation.json").toString(),
                "--keys", keys.toString(), "--conf", conf.toString());

        assertThat(verify.exit()).isEqualTo(1);
        assertThat(verify.out()).isEqualTo("signature.sender_mismatch: the key tsunagi-hub#1 is not registered to the sender tsunagi-tax"
                + System.lineSeparator());
        assertThat(sign.exit()).isEqualTo(2);
        assertThat(sign.err()).contains("the sender of this message is tsunagi-tax, not tsunagi-hub");
        assertThat(sign.outBytes()).isEmpty();
    }

    @Test
    void sign_of_an_invalid_message_exits_2_with_the_problem_code_and_no_stack_trace() throws IOException {
        CliRun.run("keys", "init", "--dir", keys.toString(), "--conf", conf.toString());
        String sample = Files.readString(SAMPLES.resolve("F1-tax-to-hub-payment-consultation.json"));
        assertThat(sample).contains("\"schemaVersion\": \"1.0\"");
        Path invalid = Files.writeString(dir.resolve("invalid.json"), sample.replace("\"schemaVersion\": \"1.0\"", "\"schemaVersion\": \"one\""));

        CliRun sign = CliRun.run("sign", "--as", "tsunagi-tax", invalid.toString(), "--keys", keys.toString(), "--conf", conf.toString());

        assertThat(sign.exit()).isEqualTo(2);
        assertThat(sign.outBytes()).as("nothing is signed").isEmpty();
        assertThat(sign.err()).contains("schema.invalid").contains("/schemaVersion")
                .doesNotContain("\tat ", "Exception");
    }

    @Test
    void sign_as_an_agency_that_is_not_registered_exits_2() {
        CliRun sign = CliRun.run("sign", "--as", "tsunagi-nowhere", SAMPLES.resolve("F1-tax-to-hub-payment-consultation.json").toString(),
                "--keys", keys.toString(), "--conf", conf.toString());

        assertThat(sign.exit()).isEqualTo(2);
        assertThat(sign.err()).contains("unknown agency \"tsunagi-nowhere\"").doesNotContain("\tat ");
    }

    @Test
    void sign_without_keys_exits_2_and_says_how_to_create_them() {
        CliRun sign = CliRun.run("sign", "--as", "tsunagi-tax", SAMPLES.resolve("F1-tax-to-hub-payment-consultation.json").toString(),
                "--keys", keys.toString(), "--conf", conf.toString());

        assertThat(sign.exit()).isEqualTo(2);
        assertThat(sign.err()).contains("no private key of tsunagi-tax", "tsunagi keys init");
    }

    @Test
    void verify_of_an_unsigned_message_prints_the_problem_and_exits_1() {
        CliRun verify = CliRun.run("verify", SAMPLES.resolve("F1-tax-to-hub-payment-consultation.xml").toString(), "--conf", conf.toString());

        assertThat(verify.exit()).isEqualTo(1);
        assertThat(verify.out()).startsWith("signature.missing");
    }

    @Test
    void an_agencies_yaml_with_a_bad_municipality_check_digit_is_reported_with_the_file_name() throws IOException {
        Path file = conf.resolve("agencies.yaml");
        Files.writeString(file, Files.readString(file).replaceFirst("\"139998\"", "\"139997\""));

        CliRun init = CliRun.run("keys", "init", "--dir", keys.toString(), "--conf", conf.toString());

        assertThat(init.exit()).isEqualTo(2);
        assertThat(init.err()).contains(file + ", line 10: agency \"tsunagi-hub\": municipality \"139997\"")
                .doesNotContain("\tat ");
        assertThat(keys).doesNotExist();
    }

    @Test
    void schema_export_writes_the_xsd_and_the_json_schema_of_the_library() throws IOException {
        Path out = dir.resolve("export");

        CliRun export = CliRun.run("schema", "export", out.toString());

        assertThat(out.resolve("tsunagi-message-1.xsd")).hasBinaryContent(TsunagiSchema.resourceBytes(TsunagiSchema.XSD_RESOURCE));
        assertThat(out.resolve("tsunagi-message-1.schema.json"))
                .hasBinaryContent(TsunagiSchema.resourceBytes(TsunagiSchema.JSON_SCHEMA_RESOURCE));
        assertThat(export.out()).contains(out.resolve("tsunagi-message-1.xsd").toString(),
                out.resolve("tsunagi-message-1.schema.json").toString());
    }

    @Test
    void schema_export_writes_the_openapi_document_and_exits_0() {
        Assumptions.assumeTrue(getClass().getClassLoader().getResource(TsunagiSchema.OPENAPI_RESOURCE) != null,
                "the OpenAPI document is not in the schema library yet");
        Path out = dir.resolve("export");

        CliRun export = CliRun.run("schema", "export", out.toString());

        assertThat(export.exit()).isZero();
        assertThat(out.resolve("openapi.json")).hasBinaryContent(TsunagiSchema.resourceBytes(TsunagiSchema.OPENAPI_RESOURCE));
        assertThat(export.out().lines()).hasSize(3);
    }

    @ParameterizedTest(name = "tsunagi {0} --help")
    @ValueSource(strings = {"", "keys", "keys init", "keys list", "keys rotate", "sign", "verify", "schema", "schema export",
            "backup", "restore"})
    void every_command_answers_help_with_a_description(String command) {
        String[] args = (command + " --help").trim().split(" ");
        StringWriter help = new StringWriter();
        CommandLine commandLine = new CommandLine(new TsunagiCli());
        commandLine.setOut(new PrintWriter(help));

        int exit = commandLine.execute(args);

        assertThat(exit).isZero();
        assertThat(help.toString()).startsWith("Usage: tsunagi" + (command.isEmpty() ? "" : " " + command))
                .contains("-h, --help").contains("-V, --version");
        assertThat(help.toString().lines().count()).isGreaterThan(5);
    }

    @Test
    void usage_errors_exit_2() {
        assertThat(CliRun.run("sign", "message.json").exit()).as("missing --as").isEqualTo(2);
        assertThat(CliRun.run("verify").exit()).as("missing FILE").isEqualTo(2);
        assertThat(CliRun.run("keys").exit()).as("missing subcommand").isEqualTo(2);
        assertThat(CliRun.run("frobnicate").exit()).as("unknown command").isEqualTo(2);
        assertThat(CliRun.run().exit()).as("no command").isEqualTo(2);
    }

    @Test
    void verify_of_a_missing_file_exits_2_without_a_stack_trace() {
        CliRun verify = CliRun.run("verify", dir.resolve("nowhere.json").toString(), "--conf", conf.toString());

        assertThat(verify.exit()).isEqualTo(2);
        assertThat(verify.err()).contains("nowhere.json: no such file").doesNotContain("\tat ");
    }

    /** Keys for everyone, then the sample signed by its sender, tsunagi-tax, as `sign` wrote it to stdout. */
    private Path signedSample(String sample) throws IOException {
        assertThat(CliRun.run("keys", "init", "--dir", keys.toString(), "--conf", conf.toString()).exit()).isZero();
        CliRun sign = CliRun.run("sign", "--as", "tsunagi-tax", SAMPLES.resolve(sample).toString(),
                "--keys", keys.toString(), "--conf", conf.toString());
        assertThat(sign.err()).isEmpty();
        assertThat(sign.exit()).isZero();
        String name = sample.replace("F1-", "signed-F1-");
        return Files.write(dir.resolve(name), sign.outBytes());
    }



    @Test
    void the_product_lists_demo_and_sends_whoever_runs_it_there_to_bin_tsunagi_demo() {
        assertThat(CliRun.run("--help").out()).containsPattern("(?m)^  demo +Run the demonstration");

        CliRun demo = CliRun.run("demo");

        assertThat(demo.exit()).isEqualTo(2);
        assertThat(demo.err()).contains("the demo is not part of the product jar; run it with bin/tsunagi demo");
    }
}
