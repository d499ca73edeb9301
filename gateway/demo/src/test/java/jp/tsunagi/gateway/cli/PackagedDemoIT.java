package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jp.tsunagi.schema.codec.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as {@code bin/tsunagi demo} runs it: the demo's shaded jar (target/tsunagi-demo.jar) in its own JVM, not the test classpath (a Camel
 * component present only in test scope once made every route fail in the jar while every test passed).
 */
class PackagedDemoIT {
    @Test
    void theShadedJarRunsTheWholeDemoStory(@TempDir Path dir) throws Exception {
        Path conf = DemoConf.defaultConfIn(dir);
        Path log = dir.resolve("demo.out");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/tsunagi-demo.jar", "demo", "--exit", "--conf", conf.toString(), "--samples", "../../schemas/samples",
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
        // the story and every log line of every connector, from one JVM: no name or phone number of any sample person
        assertThat(peopleInTheSamples()).isNotEmpty().allSatisfy(value -> assertThat(story).doesNotContain(value));
    }

    /** The subjects' and household members' names and the subjects' phone numbers of schemas/samples. */
    private static List<String> peopleInTheSamples() throws Exception {
        List<String> values = new ArrayList<>();
        try (Stream<Path> samples = Files.list(Path.of("../../schemas/samples"))) {
            for (Path sample : samples.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode referral = JsonCodec.parse(Files.readAllBytes(sample)).path("referral");
                List<JsonNode> people = new ArrayList<>(List.of(referral.path("subject")));
                referral.path("household").forEach(people::add);
                for (JsonNode person : people) {
                    for (String part : List.of("/name/family", "/name/given", "/kana/family", "/kana/given")) {
                        if (person.at(part).isTextual()) {
                            values.add(person.at(part).asText());
                        }
                    }
                    person.at("/contact/phones").forEach(phone -> values.add(phone.asText()));
                }
            }
        }
        return values;
    }
}
