package jp.tsunagi.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsFileTest {
    private static final Map<String, String> NO_ENVIRONMENT = Map.of();

    @TempDir
    Path conf;

    @Test
    void a_misspelt_key_is_refused_with_its_file_and_line_and_the_key_it_probably_meant() throws Exception {
        write("# retries", "tsunagi.delivery.workers=2", "", "tsunagi.delivery.max-attemps=3");

        assertThatThrownBy(() -> load(NO_ENVIRONMENT)).isInstanceOf(SettingsException.class)
                .hasMessage(conf.resolve("gateway.properties") + ":4: unknown setting tsunagi.delivery.max-attemps"
                        + " (did you mean tsunagi.delivery.max-attempts?); the settings are listed in docs/settings.md");
    }

    @Test
    void a_value_of_the_wrong_type_or_out_of_range_is_refused_with_its_line_and_every_problem_is_listed() throws Exception {
        write("tsunagi.http.port=eighty", "tsunagi.escalation.business-days=400", "tsunagi.store.retention=-P1D",
                "tsunagi.tls.client-auth=optional");

        assertThatThrownBy(() -> load(NO_ENVIRONMENT)).isInstanceOfSatisfying(SettingsException.class, e ->
                assertThat(e.problems()).containsExactly(
                        conf.resolve("gateway.properties") + ":1: tsunagi.http.port=eighty: not a whole number",
                        conf.resolve("gateway.properties") + ":2: tsunagi.escalation.business-days=400: must be 1 to 250",
                        conf.resolve("gateway.properties") + ":3: tsunagi.store.retention=-P1D: must be 0 or more",
                        conf.resolve("gateway.properties") + ":4: tsunagi.tls.client-auth=optional: must be none, want or require"));
    }

    @Test
    void a_continued_line_is_reported_at_the_line_it_starts_on() throws Exception {
        write("tsunagi.escalation.closed-days=2026-10-01,\\", "    2027-10-01", "tsunagi.http.host=127.0.0.1", "tsunagi.nothing=1");

        assertThatThrownBy(() -> load(NO_ENVIRONMENT)).hasMessageStartingWith(conf.resolve("gateway.properties") + ":4: ");
    }

    @Test
    void keys_outside_tsunagi_are_left_to_camel_and_the_routes() throws Exception {
        write("camel.main.name=other", "hellowork.sftp.password=secret");

        SettingsFile file = load(NO_ENVIRONMENT);

        assertThat(file.placeholders()).containsEntry("camel.main.name", "other").containsEntry("hellowork.sftp.password", "secret");
    }

    @Test
    void a_secret_comes_from_the_environment_and_is_never_shown_in_a_message_or_handed_to_camel() throws Exception {
        write("tsunagi.db.password={{env:DB_SECRET}}", "tsunagi.message.replay-window={{env:WINDOW:P2D}}");

        SettingsFile file = load(Map.of("DB_SECRET", "s3cret"));

        assertThat(file.get(Settings.DB_PASSWORD)).isEqualTo("s3cret");
        assertThat(file.get(Settings.MESSAGE_REPLAY_WINDOW)).isEqualTo(Duration.ofDays(2));
        assertThat(file.placeholders()).doesNotContainKey("tsunagi.db.password").doesNotContainValue("s3cret");
        assertThatThrownBy(() -> load(NO_ENVIRONMENT)).hasMessage(conf.resolve("gateway.properties")
                + ":1: tsunagi.db.password: {{env:DB_SECRET}}: the environment variable DB_SECRET is not set");
    }

    @Test
    void the_database_account_of_the_environment_takes_precedence_over_the_file() throws Exception {
        write("tsunagi.db.user=file-user", "tsunagi.db.password=file-password");

        SettingsFile file = load(Map.of("TSUNAGI_DB_USER", "ops", "TSUNAGI_DB_PASSWORD", "from-env"));

        assertThat(file.get(Settings.DB_USER)).isEqualTo("ops");
        assertThat(file.get(Settings.DB_PASSWORD)).isEqualTo("from-env");
        assertThat(load(Map.of("TSUNAGI_DB_USER", "")).get(Settings.DB_USER)).isEqualTo("file-user");
    }

    @Test
    void a_routes_placeholders_take_the_settings_their_defaults_and_the_files_own_keys() throws Exception {
        write("hellowork.sftp.password={{env:HW:demo}}");
        SettingsFile file = load(NO_ENVIRONMENT);

        assertThat(file.resolve("{{tsunagi.exchange.dir}}/tax-desk/out")).isEqualTo("data/exchange/tax-desk/out");
        assertThat(file.resolve("pw={{hellowork.sftp.password}}")).isEqualTo("pw=demo");
        assertThat(file.placeholderProblems("{{tsunagi.exchange.dri}}/x {{other.key}} {{env:NOT_SET}} {{env:NOT_SET:ok}}"))
                .containsExactly(
                        "{{tsunagi.exchange.dri}}: no setting tsunagi.exchange.dri (did you mean tsunagi.exchange.dir?);"
                                + " the settings are listed in docs/settings.md",
                        "{{other.key}}: other.key is not set in gateway.properties",
                        "{{env:NOT_SET}}: the environment variable NOT_SET is not set");
        assertThat(file.placeholderProblems("{{tsunagi.db.password}}")).singleElement().asString().contains("secret");
    }

    @Test
    void without_a_file_every_setting_has_its_declared_default() {
        SettingsFile file = load(NO_ENVIRONMENT);

        for (Setting<?> s : Settings.ALL) {
            assertThat((Object) file.get(s)).as(s.key()).isEqualTo(s.defaultValue());
        }
        // Camel sees the defaults that are values, not those described in words
        assertThat(file.placeholders()).containsEntry("tsunagi.exchange.dir", "data/exchange")
                .containsEntry("tsunagi.delivery.lease", "5m").doesNotContainKeys("tsunagi.tls.trust", "tsunagi.tls.key");
    }

    private SettingsFile load(Map<String, String> environment) {
        return SettingsFile.load(conf, environment::get);
    }

    private void write(String... lines) throws Exception {
        Files.writeString(conf.resolve("gateway.properties"), String.join("\n", lines) + "\n");
    }
}
