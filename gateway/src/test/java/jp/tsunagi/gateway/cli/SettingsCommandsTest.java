package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import jp.tsunagi.gateway.settings.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gateway.properties checked against the declared settings by config check and serve; the reference printed. */
class SettingsCommandsTest {
    @TempDir
    Path dir;

    @Test
    void config_check_refuses_a_misspelt_key_with_file_and_line() throws Exception {
        Path conf = shippedConf();
        int line = append(conf, "tsunagi.delivery.max-attemps=3");

        CliRun result = CliRun.run("config", "check", "--conf", conf.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).contains("gateway.properties:" + line + ": unknown setting tsunagi.delivery.max-attemps"
                + " (did you mean tsunagi.delivery.max-attempts?)");
    }

    @Test
    void config_check_refuses_an_out_of_range_value_with_file_and_line() throws Exception {
        Path conf = shippedConf();
        int line = append(conf, "tsunagi.delivery.workers=0");

        CliRun result = CliRun.run("config", "check", "--conf", conf.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).contains("gateway.properties:" + line + ": tsunagi.delivery.workers=0: must be at least 1");
    }

    @Test
    void serve_refuses_to_start_with_a_misspelt_key_naming_file_and_line() throws Exception {
        Path conf = shippedConf();
        int line = append(conf, "tsunagi.delivery.max-attemps=3");

        CliRun result = CliRun.run("serve", "--conf", conf.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("gateway.properties:" + line + ": unknown setting tsunagi.delivery.max-attemps")
                .doesNotContain("Exception");
    }

    @Test
    void config_check_refuses_a_route_naming_an_undeclared_setting_with_file_and_line() throws Exception {
        Path conf = shippedConf();
        Path route = conf.resolve("routes/tax-desk.yaml");
        Files.writeString(route, Files.readString(route).replace("directory: \"{{tsunagi.exchange.dir}}/tax-desk/out\"",
                "directory: \"{{tsunagi.exchange.folder}}/tax-desk/out\""));

        CliRun result = CliRun.run("config", "check", "--conf", conf.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).contains(route + ", line 15: {{tsunagi.exchange.folder}}: no setting tsunagi.exchange.folder");
    }

    @Test
    void the_shipped_routes_placeholders_all_have_values() {
        CliRun result = CliRun.run("config", "check", "--conf", "../conf");

        // (the shipped conf's key files exist only after keys init: that problem is KeyFileCheck's, not this test's)
        assertThat(result.out().lines().filter(line -> line.contains("{{"))).as(result.out()).isEmpty();
        assertThat(result.out()).doesNotContain("gateway.properties:");
    }

    @Test
    void config_settings_prints_the_reference_and_answers_help() {
        CliRun reference = CliRun.run("config", "settings");
        CliRun help = CliRun.run("config", "settings", "--help");

        assertThat(reference.exit()).isZero();
        assertThat(reference.out()).isEqualTo(Settings.reference());
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("docs/settings.md").contains("tsunagi config settings > docs/settings.md");
    }

    /** A copy of the shipped conf/. */
    private Path shippedConf() throws Exception {
        Path from = Path.of("../conf");
        Path conf = dir.resolve("conf");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = conf.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return conf;
    }

    /** Appends a line to gateway.properties: its line number. */
    private static int append(Path conf, String line) throws Exception {
        Path file = conf.resolve("gateway.properties");
        String text = Files.readString(file);
        text = text.endsWith("\n") ? text : text + "\n";
        Files.writeString(file, text + line + "\n");
        return (int) text.lines().count() + 1;
    }
}
