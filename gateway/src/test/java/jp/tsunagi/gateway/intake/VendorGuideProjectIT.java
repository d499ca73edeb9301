package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.Test;

/**
 * A vendor's first project, made from docs/vendor-guide.md alone: its pom.xml (importing tsunagi-bom) and its example,
 * built by Maven offline from a local repository that holds this build's artifacts, then run against a gateway.
 * Runs after package: the library's jar is the one the build made.
 */
class VendorGuideProjectIT {
    private static final Path GUIDE = Path.of("../docs/vendor-guide.md");
    private static final String VERSION = System.getProperty("tsunagi.version");
    /** The developer's local Maven repository: every third-party artifact, read as a file mirror, never the network. */
    private static final Path MAVEN_REPOSITORY = Path.of(System.getProperty("maven.repository"));

    @Test
    void theGuidesProjectBuildsOfflineWithOneJacksonVersionAndTheGatewayAcceptsItsMessage() throws Exception {
        Path work = Path.of("target/vendor-guide-project");
        deleteRecursively(work);
        Path repository = work.resolve("repository");
        install(repository, "tsunagi-parent", Path.of("../pom.xml"), null);
        install(repository, "tsunagi-bom", Path.of("../bom/pom.xml"), null);
        install(repository, "tsunagi-schemas", Path.of("../schemas/pom.xml"),
                Path.of("../schemas/target/tsunagi-schemas-" + VERSION + ".jar"));
        Path project = work.resolve("project");
        String guide = Files.readString(GUIDE);
        write(project.resolve("pom.xml"), block(guide, "xml", "<artifactId>tsunagi-bom</artifactId>"));
        write(project.resolve("src/main/java/jp/tsunagi/example/VendorExample.java"), block(guide, "java", "class VendorExample"));
        Path settings = write(work.resolve("settings.xml"), "<settings><mirrors><mirror><id>developer-repository</id>"
                + "<mirrorOf>*</mirrorOf><url>" + MAVEN_REPOSITORY.toUri() + "</url></mirror></mirrors></settings>");

        String tree = maven(project, repository, settings, "org.apache.maven.plugins:maven-dependency-plugin:" + System.getProperty("maven-dependency-plugin.version") + ":tree",
                "-DoutputFile=tree.txt");
        List<String> jackson = Files.readAllLines(project.resolve("tree.txt")).stream()
                .map(line -> line.replaceFirst("^[|+\\\\\\- ]*", ""))
                .filter(line -> line.startsWith("com.fasterxml.jackson.")).toList();
        assertThat(jackson).as(tree).hasSizeGreaterThanOrEqualTo(4)
                .anyMatch(line -> line.startsWith("com.fasterxml.jackson.dataformat:jackson-dataformat-yaml:"));
        // one version of every Jackson module: that of the library's own jackson-databind
        String databind = jackson.stream().filter(line -> line.startsWith("com.fasterxml.jackson.core:jackson-databind:"))
                .findFirst().orElseThrow().split(":")[3];
        assertThat(jackson).allSatisfy(line -> assertThat(line.split(":")[3]).as(line).isEqualTo(databind));

        try (GatewayFixture gateway = new GatewayFixture(work.resolve("gateway"), TestDatabases.Kind.H2)) {
            String output = maven(project, repository, settings, "compile", "exec:java",
                    "-Dexec.args=" + gateway.dir.resolve("keys").toAbsolutePath() + " " + gateway.uri(""));

            assertThat(output).contains("valid, signed by tsunagi-tax#1, referral REF-2026-009001")
                    .containsPattern("(?m)^gateway: 202 \\{$").contains("\"messageType\" : \"RECEIPT\"");
        }
    }

    /** A file in the Maven layout of a local repository, as mvn install would put it. */
    private static void install(Path repository, String artifactId, Path pom, Path jar) throws IOException {
        Path dir = Files.createDirectories(repository.resolve("jp/tsunagi/" + artifactId + "/" + VERSION));
        Files.copy(pom, dir.resolve(artifactId + "-" + VERSION + ".pom"));
        if (jar != null) {
            Files.copy(jar, dir.resolve(artifactId + "-" + VERSION + ".jar"));
        }
    }

    /** The first fenced block of that language holding the marker, as a reader would copy it. */
    private static String block(String guide, String language, String marker) {
        Matcher blocks = Pattern.compile("(?s)```" + language + "\n(.*?)```").matcher(guide);
        while (blocks.find()) {
            if (blocks.group(1).contains(marker)) {
                return blocks.group(1);
            }
        }
        throw new AssertionError("docs/vendor-guide.md has no " + language + " block with " + marker);
    }

    /** mvn offline, on the private repository; the output of a successful run (a failed run fails the test with it). */
    private static String maven(Path project, Path repository, Path settings, String... goals) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn").toString(),
                "-B", "-q", "--offline", "-Daether.offline.protocols=file", "-Dstyle.color=never",
                "-s", settings.toAbsolutePath().toString(), "-Dmaven.repo.local=" + repository.toAbsolutePath()));
        command.addAll(List.of(goals));
        Path log = project.resolve("maven.log");
        Process maven = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean finished = maven.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            maven.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished && maven.exitValue() == 0).as(String.join(" ", command) + "\n" + output).isTrue();
        return output;
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
