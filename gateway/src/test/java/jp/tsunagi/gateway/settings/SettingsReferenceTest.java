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
        assertThat(SettingsFile.load(Path.of("../conf"), name -> null).placeholders())
                .containsEntry(Settings.EXCHANGE_DIR.key(), "data/exchange");
    }

    @Test
    void the_guides_link_to_the_reference_instead_of_listing_the_settings_by_hand() throws Exception {
        for (String guide : new String[] {"../docs/integrator-guide.md", "../docs/operations-store.md"}) {
            String text = Files.readString(Path.of(guide));
            assertThat(text).as(guide).contains("(settings.md)").doesNotContain("| `tsunagi.delivery.workers` |")
                    .doesNotContain("| `tsunagi.db.url` |");
        }
    }
}
