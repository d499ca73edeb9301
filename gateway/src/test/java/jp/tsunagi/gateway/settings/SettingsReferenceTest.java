package jp.tsunagi.gateway.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** docs/settings.md and the shipped gateway.properties say what the registry declares. */
class SettingsReferenceTest {
    private static final Path REFERENCE = Path.of("../docs/settings.md");

    @Test
    void docs_settings_md_is_the_reference_the_registry_generates() throws Exception {
        assertThat(Files.readString(REFERENCE))
                .as("docs/settings.md differs from jp.tsunagi.gateway.settings.Settings; regenerate it from the repository"
                        + " root: bin/tsunagi config settings > docs/settings.md")
                .isEqualTo(Settings.reference());
    }

    @Test
    void the_shipped_gateway_properties_writes_out_every_setting_that_has_a_default_with_that_default() throws Exception {
        Properties shipped = new Properties();
        try (var reader = Files.newBufferedReader(Path.of("../conf/gateway.properties"))) {
            shipped.load(reader);
        }
        for (Setting<?> s : Settings.ALL) {
            if (s.defaultValue() != null && !s.key().startsWith("tsunagi.tls.") && !s.key().equals(Settings.ESCALATION_CLOSED_DAYS.key())) {
                assertThat(shipped.getProperty(s.key())).as(s.key()).isEqualTo(s.defaultText());
            }
        }
        assertThat(SettingsFile.load(Path.of("../conf"), name -> name.equals("HELLOWORK_SFTP_PASSWORD") ? "secret" : null)
                .placeholders()).containsEntry(Settings.EXCHANGE_DIR.key(), "data/exchange");
    }

    @Test
    void the_guides_link_to_the_reference_instead_of_listing_the_settings_by_hand() throws Exception {
        for (String guide : new String[] {"../docs/integrator-guide.md", "../docs/operations-store.md"}) {
            String text = Files.readString(Path.of(guide));
            assertThat(text).as(guide).contains("(settings.md)").doesNotContain("| `tsunagi.delivery.workers` |")
                    .doesNotContain("| `tsunagi.db.url` |");
        }
    }

    @Test
    void the_shipped_template_takes_hello_works_sftp_password_from_the_environment_and_names_the_variable_when_it_is_unset() {
        // unset, it is the problem of the route that uses it (config check names the route's line), not of the file:
        // commands that start no route (audit verify, disclose) read the settings all the same
        SettingsFile unset = SettingsFile.load(Path.of("../conf"), name -> null);
        assertThat(unset.placeholderProblems("password: {{hellowork.sftp.password}}")).containsExactly(
                "{{hellowork.sftp.password}}: {{env:HELLOWORK_SFTP_PASSWORD}}: the environment variable"
                        + " HELLOWORK_SFTP_PASSWORD is not set");
        assertThat(SettingsFile.load(Path.of("../conf"), name -> name.equals("HELLOWORK_SFTP_PASSWORD") ? "s3cret" : null)
                .placeholders()).containsEntry("hellowork.sftp.password", "s3cret");
    }
}
