package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as {@code bin/tsunagi demo} runs it: the shaded jar in its own JVM, not the test classpath (a Camel
 * component present only in test scope once made every route fail in the jar while every test passed).
 */
class PackagedDemoIT {
    @Test
    void theShadedJarRunsTheWholeDemoStory(@TempDir Path dir) throws Exception {
        Path conf = DemoConf.defaultConfIn(dir);
        Path log = dir.resolve("demo.out");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/tsunagi.jar", "demo", "--exit", "--conf", conf.toString(), "--samples", "../schemas/samples",
                "--exchange", dir.resolve("data/exchange").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        boolean finished = demo.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            demo.destroyForcibly();
        }
        String story = Files.readString(log, StandardCharsets.UTF_8);

        assertThat(finished).as(story).isTrue();
        assertThat(demo.exitValue()).as(story).isZero();
        assertThat(story).contains("Every flow behaved as expected.").doesNotContain("[ERROR]");
    }
}
