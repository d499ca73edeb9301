package jp.tsunagi.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VendorExampleTest {
    @Test
    void theReferralTheExampleBuildsPassesEveryModelRule() {
        assertThat(new MessageReader().check(VendorExample.buildReferral())).isEmpty();
    }

    @Test
    void theExampleSignsAndVerifiesJsonAndXml(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("keys");
        KeyMaterial.writeFiles(keys, "tsunagi-tax", "つなぎ市税務課");
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            VendorExample.main(new String[] {keys.toString()});
        } finally {
            System.setOut(original);
        }

        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("valid, signed by tsunagi-tax#1, referral REF-2026-009001",
                        "valid, signed by tsunagi-tax#1, referral REF-2026-009001");
    }

    @Test
    void theVendorGuideShowsExactlyTheCompiledExample() throws Exception {
        String example = Files.readString(Path.of("src/test/java/jp/tsunagi/example/VendorExample.java"));
        String guide = Files.readString(Path.of("../docs/vendor-guide.md"));

        assertThat(guide).contains(example.strip());
    }

    @Test
    void everyLineOfTheLibrarysReadmeExampleIsALineOfTheCompiledExample() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String java = readme.substring(readme.indexOf("```java\n") + 8);
        List<String> shown = code(java.substring(0, java.indexOf("```")));
        List<String> compiled = code(Files.readString(Path.of("src/test/java/jp/tsunagi/example/VendorExample.java")));

        assertThat(shown).hasSizeGreaterThan(5);
        assertThat(compiled).containsAll(shown);
    }

    /** The lines of Java code, trimmed, without their end-of-line comments. */
    private static List<String> code(String text) {
        return text.lines().map(line -> line.replaceFirst("\\s*//.*$", "").strip()).filter(line -> !line.isEmpty()).toList();
    }

    @Test
    void theVendorGuideExplainsEveryProblemCode() throws Exception {
        String guide = Files.readString(Path.of("../docs/vendor-guide.md"));

        for (jp.tsunagi.schema.validation.ProblemCode code : jp.tsunagi.schema.validation.ProblemCode.values()) {
            assertThat(guide).contains("`" + code.code() + "`");
        }
    }
}
