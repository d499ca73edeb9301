package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @Test
    void theDemoRunsEveryFlowF1ToF10InJsonAndXmlAndShowsEachRefusalWithItsCode(@TempDir Path dir) throws Exception {
        // the default conf/, its key paths pointing into this test's key directory
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("agencies.yaml"), Files.readString(Path.of("../conf/agencies.yaml"))
                .replace("data/keys/", dir.resolve("keys") + "/"));
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = TsunagiCli.commandLine().execute("demo", "--conf", conf.toString(), "--keys", dir.resolve("keys").toString(),
                    "--samples", "../schemas/samples");
        } finally {
            System.setOut(original);
        }
        String story = out.toString(StandardCharsets.UTF_8);

        assertThat(exit).isZero();
        for (int flow = 1; flow <= 10; flow++) {
            assertThat(story).containsPattern("(?m)^  F" + flow + " .*\\[JSON ✓, XML ✓\\]$");
        }
        assertThat(story).contains("refused, signature.invalid", "refused, consent.category_missing at /referral/taxArrears",
                "refused, signature.sender_mismatch", "refused, message.dtd_forbidden", "Every flow behaved as expected.");
    }
}
