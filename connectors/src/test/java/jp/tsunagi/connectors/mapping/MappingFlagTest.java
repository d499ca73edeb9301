package jp.tsunagi.connectors.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A native flag (同居区分 1 同居 / 2 別居) read into a boolean of the message through a code table, and written back. */
class MappingFlagTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Mapping mapping(String livesTogetherCodes) throws Exception {
        Path file = dir.resolve("flag.yaml");
        Files.writeString(file, """
                description: test
                format: xml
                root: 世帯
                messageType: REFERRAL
                fields:
                  - {path: "referral.household[0].relationship", element: "世帯員/続柄", codes: {"03": PARENT}}
                  - {path: "referral.household[0].name.family", element: "世帯員/姓"}
                  - {path: "referral.household[0].livesTogether", element: "世帯員/同居区分", codes: %s}
                """.formatted(livesTogetherCodes));
        return Mapping.load(file);
    }

    private static byte[] document(String flag) {
        return ("<世帯><世帯員><続柄>03</続柄><姓>中村</姓><同居区分>" + flag + "</同居区分></世帯員></世帯>")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNativeFlagBecomesABooleanAndIsWrittenBackAsTheFlag() throws Exception {
        Mapping mapping = mapping("{\"1\": \"true\", \"2\": \"false\"}");

        List<MappedRecord> together = mapping.read(document("1"));
        List<MappedRecord> apart = mapping.read(document("2"));
        List<MappedRecord> unknown = mapping.read(document("9"));

        assertThat(together.get(0).message().at("/referral/household/0")).isEqualTo(JSON.readTree("""
                {"relationship":"PARENT","name":{"family":"中村"},"livesTogether":true}"""));
        assertThat(apart.get(0).message().at("/referral/household/0/livesTogether").isBoolean()).isTrue();
        assertThat(apart.get(0).message().at("/referral/household/0/livesTogether").booleanValue()).isFalse();
        assertThat(unknown.get(0).problem().code()).isEqualTo("mapping.unknown_code");
        String written = new String(mapping.write(List.of(apart.get(0).message())), StandardCharsets.UTF_8);
        assertThat(written).contains("<同居区分>2</同居区分>");
    }

    @Test
    void aBooleanCodeTableMayOnlyMapToTrueOrFalse() {
        Path file = dir.resolve("flag.yaml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mapping("{\"1\": \"yes\"}"))
                .hasMessageContaining("\"yes\" is not a code of the message schema");
        assertThat(file).exists();
    }
}
