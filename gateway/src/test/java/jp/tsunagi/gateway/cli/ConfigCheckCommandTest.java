package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {
    @Test
    void theDefaultConfigurationIsValid() {
        CliRun result = run("../conf");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("configuration valid");
    }

    @Test
    void aSupportMeetingMemberThatIsNotAnAgencyAndABrokenRouteFileAreEachReportedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.copy(Path.of("../conf/agencies.yaml"), conf.resolve("agencies.yaml"));
        Files.writeString(conf.resolve("policy.yaml"), Files.readString(Path.of("../conf/policy.yaml"))
                .replace("members: [tsunagi-hub, tsunagi-welfare, tsunagi-houkatsu]", "members: [tsunagi-hub, tsunagi-welfare, tsunagi-nowhere]"));
        Files.createDirectories(conf.resolve("routes"));
        Files.writeString(conf.resolve("routes/broken.yaml"), "- route:\n    from: [unclosed\n");

        CliRun result = run(conf.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).contains("policy.yaml").contains("tsunagi-nowhere").contains("line");
        assertThat(result.out()).contains("broken.yaml, line");
    }

    private static CliRun run(String conf) {
        return CliRun.run("config", "check", "--conf", conf);
    }
}
