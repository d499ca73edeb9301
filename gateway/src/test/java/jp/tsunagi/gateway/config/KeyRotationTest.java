package jp.tsunagi.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keys rotate edits the shipped agencies.yaml (block style, with comments) into a file the gateway reads. */
class KeyRotationTest {
    @TempDir
    Path dir;

    @Test
    void the_shipped_registry_gets_the_new_key_first_and_retires_the_old_one_with_its_comments_kept() throws Exception {
        Path file = dir.resolve("agencies.yaml");
        Files.copy(Path.of("../conf/agencies.yaml"), file);
        String before = Files.readString(file);
        AgencyDirectory agencies = AgencyDirectory.load(file);
        int at = agencies.agencies().indexOf(agencies.agency("tsunagi-tax").orElseThrow());

        String edited = KeyRotation.edit(file, "/agencies/" + at, "tsunagi-tax#2", "data/keys/tsunagi-tax.2.pub.pem",
                "2027-01-05T11:00+09:00");
        Files.writeString(file, edited, StandardCharsets.UTF_8);
        String gatewayEdited = KeyRotation.edit(file, "/gateway", "gateway#2", "data/keys/gateway.2.pub.pem",
                "2027-01-06T11:00+09:00");
        Files.writeString(file, gatewayEdited, StandardCharsets.UTF_8);
        AgencyDirectory rotated = AgencyDirectory.load(file);

        var tax = rotated.agency("tsunagi-tax").orElseThrow().keys();
        assertThat(tax).extracting(AgencyKey::kid).containsExactly("tsunagi-tax#2", "tsunagi-tax#1");
        assertThat(tax.get(0).pem()).isEqualTo(Path.of("data/keys/tsunagi-tax.2.pub.pem"));
        assertThat(tax.get(0).retires()).isNull();
        assertThat(tax.get(1).retires()).isEqualTo("2027-01-05T11:00+09:00");
        assertThat(rotated.signingKid("tsunagi-tax")).isEqualTo("tsunagi-tax#2");
        assertThat(rotated.signingKid("gateway")).isEqualTo("gateway#2");
        assertThat(rotated.gateway().keys().get(1).retires()).isEqualTo("2027-01-06T11:00+09:00");
        assertThat(rotated.agency("tsunagi-hub").orElseThrow().keys()).as("other agencies untouched").hasSize(1);
        String after = Files.readString(file);
        assertThat(after.lines().filter(l -> l.startsWith("#")).toList())
                .isEqualTo(before.lines().filter(l -> l.startsWith("#")).toList());
        assertThat(after.lines().count()).isEqualTo(before.lines().count() + 6);
    }

    @Test
    void a_retires_value_that_is_no_date_is_refused_with_its_line() throws Exception {
        Path file = dir.resolve("agencies.yaml");
        Files.writeString(file, Files.readString(Path.of("../conf/agencies.yaml"))
                .replaceFirst("(\\n( +)- kid: \"gateway#1\"\\n)", "$1$2  retires: soon\n"));

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> AgencyDirectory.load(file)))
                .hasMessageContaining("retires \"soon\" is neither a date");
    }
}
