package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jp.tsunagi.gateway.intake.ServeProcess;
import jp.tsunagi.schema.codec.JsonCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as {@code bin/tsunagi demo} runs it: the demo's shaded jar (target/tsunagi-demo.jar) in its own JVM, not the test classpath (a Camel
 * component present only in test scope once made every route fail in the jar while every test passed).
 */
class PackagedDemoIT {
    private static final Path JAR = Path.of("target/tsunagi-demo.jar").toAbsolutePath();
    private static final Path SAMPLES = Path.of("../../schemas/samples").toAbsolutePath();
    /** A line as slf4j-simple writes it: time, [LEVEL], logger. */
    private static final Pattern LOG_LINE = Pattern.compile("(?m)^\\d{4}-\\d{2}-\\d{2}T\\S+ \\[(TRACE|DEBUG|INFO|WARN|ERROR)\\] ");

    @Test
    void theShadedJarTellsOnlyTheStoryOnStandardOutputAndEndsWithWhatToDoNext(@TempDir Path dir) throws Exception {
        Path conf = DemoConf.defaultConfIn(dir);
        Path out = dir.resolve("out.txt");
        Process demo = demo(dir, out, "--exit", "--conf", conf.toString());

        boolean finished = demo.waitFor(3, TimeUnit.MINUTES);
        if (!finished) {
            demo.destroyForcibly();
        }
        String story = Files.readString(out, StandardCharsets.UTF_8);
        String log = Files.readString(dir.resolve("data/logs/demo.log"), StandardCharsets.UTF_8);

        assertThat(finished).as(story).isTrue();
        assertThat(demo.exitValue()).as(story).isZero();
        assertThat(story).contains("Every flow behaved as expected.", "What next (次に):", "/admin/ as demo-auditor",
                        "bin/tsunagi send --as tsunagi-tax", "docs/vendor-guide.md", dir.resolve("data/exchange") + "/:")
                .doesNotContainPattern(LOG_LINE.pattern()).doesNotContain("\u001b", "[INFO]", "[WARN]", "Permanently added")
                .containsPattern("(?m)^  Log of this run +data/logs/demo\\.log$");
        // the log lines are in the file the story names
        assertThat(log).containsPattern(LOG_LINE.pattern()).doesNotContain("[ERROR]");
        // the story and every log line of every connector, from one JVM: no name or phone number of any sample person
        assertThat(peopleInTheSamples()).isNotEmpty().allSatisfy(value -> assertThat(story + log).doesNotContain(value));
    }

    @Test
    void aSecondRunInTheSameFolderKeepsTheGatewayForTheSendItSuggestsAndExitsWith0OnCtrlC(@TempDir Path dir) throws Exception {
        Path conf = DemoConf.defaultConfIn(dir);
        Process first = demo(dir, dir.resolve("first.txt"), "--exit", "--conf", conf.toString());
        assertThat(first.waitFor(3, TimeUnit.MINUTES) && first.exitValue() == 0).as(Files.readString(dir.resolve("first.txt"))).isTrue();

        Path out = dir.resolve("second.txt");
        Process second = demo(dir, out, "--conf", conf.toString());
        try {
            String story = awaitLine(second, out, "until Ctrl-C.");
            assertThat(story).contains("Every flow behaved as expected.");
            // the "send" of "What next", as it is printed, against the running gateway
            String send = story.lines().filter(line -> line.startsWith("  Send a message")).findFirst().orElseThrow();
            List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
            command.addAll(List.of(send.substring(send.indexOf("bin/tsunagi ") + "bin/tsunagi ".length()).split(" ")));
            Process sent = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String receipt = new String(sent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sent.waitFor()).as(receipt).isZero();
            assertThat(receipt).startsWith("202 accepted");

            // Ctrl-C; SIGTERM where this test runs as a job that ignores SIGINT (and so does the demo it starts)
            String signal = ServeProcess.ignores(second.pid(), "INT") ? "TERM" : "INT";
            new ProcessBuilder("kill", "-" + signal, Long.toString(second.pid())).start().waitFor();
            assertThat(second.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(second.exitValue()).as(Files.readString(out)).isZero();
        } finally {
            second.destroyForcibly();
        }
    }

    @Test
    void ctrlCDuringTheStoryStopsTheDemoAfterTheStepUnderWayWithExitCode0(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("stopped.txt");
        Process demo = demo(dir, out, "--conf", DemoConf.defaultConfIn(dir).toString());
        try {
            awaitLine(demo, out, "2. Every flow");
            String signal = ServeProcess.ignores(demo.pid(), "INT") ? "TERM" : "INT";
            new ProcessBuilder("kill", "-" + signal, Long.toString(demo.pid())).start().waitFor();
            assertThat(demo.waitFor(2, TimeUnit.MINUTES)).isTrue();
            String story = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(demo.exitValue()).as(story).isZero();
            assertThat(story).contains("Stopped (Ctrl-C)").doesNotContain("4. Audit trail");
        } finally {
            demo.destroyForcibly();
        }
    }

    /** The demo jar in its own JVM in dir, as bin/tsunagi runs it there: standard output into a file, standard error apart. */
    private static Process demo(Path dir, Path out, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString(), "demo", "--samples", SAMPLES.toString(),
                "--exchange", dir.resolve("data/exchange").toString()));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(dir.resolve(out.getFileName() + ".err").toFile()).start();
    }

    /** The output once it holds the line (fails if the process ends first or after 3 minutes). */
    private static String awaitLine(Process process, Path out, String end) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (text.contains(end)) {
                return text;
            }
            assertThat(process.isAlive()).as(text).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("no line with " + end + " in 3 minutes: " + Files.readString(out));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
