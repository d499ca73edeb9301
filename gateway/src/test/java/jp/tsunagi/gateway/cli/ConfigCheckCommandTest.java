package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.schema.signature.KeyMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {
    @Test
    void theDefaultConfigurationIsValidOnceItsKeysExist(@TempDir Path dir) throws Exception {
        Path conf = shippedConfWithKeys(dir);

        CliRun result = run(conf.toString());

        assertThat(result.exit()).as(result.out()).isZero();
        assertThat(result.out()).startsWith("configuration valid");
    }

    @Test
    void theDefaultConfigurationBeforeKeysInitNamesTheMissingPublicKeyFiles() {
        CliRun result = run("../conf");

        // intentionally changed (issue 11): a missing key file used to pass, and every message of the agency was
        // then refused at run time with signature.kid_unknown
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).contains("agencies.yaml, line ").contains("tsunagi-tax.pub.pem does not exist");
    }

    @Test
    void aMissingPemANonKeyAndAPrivateKeyOrCertificateOfAnotherAgencyAreEachRefusedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path conf = shippedConfWithKeys(dir);
        Path keys = dir.resolve("keys");
        Files.writeString(conf.resolve("gateway.properties"), "tsunagi.keys.dir=" + keys + "\n", StandardOpenOption.APPEND);
        Files.delete(keys.resolve("tsunagi-tax.pub.pem"));
        Files.writeString(keys.resolve("tsunagi-welfare.pub.pem"), "not a key\n");
        Files.copy(keys.resolve("tsunagi-hub.key.pem"), keys.resolve("tsunagi-houkatsu.key.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(keys.resolve("tsunagi-hub.crt.pem"), keys.resolve("tsunagi-hellowork.crt.pem"), StandardCopyOption.REPLACE_EXISTING);

        CliRun result = run(conf.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out())
                .contains(conf.resolve("agencies.yaml") + ", line " + lineOf(conf, "tsunagi-tax.pub.pem") + ": key tsunagi-tax#1: "
                        + keys.resolve("tsunagi-tax.pub.pem") + " does not exist")
                .contains(conf.resolve("agencies.yaml") + ", line " + lineOf(conf, "tsunagi-welfare.pub.pem") + ": key tsunagi-welfare#1: "
                        + keys.resolve("tsunagi-welfare.pub.pem") + " holds no public key or X.509 certificate")
                .contains(keys.resolve("tsunagi-houkatsu.key.pem") + ": the private key of tsunagi-houkatsu is not that of its registered key tsunagi-houkatsu#1")
                .contains(keys.resolve("tsunagi-hellowork.crt.pem") + ": the certificate of tsunagi-hellowork carries another key");
    }

    @Test
    void anAgencySystemThatCannotBeReachedIsAWarningNotAnError(@TempDir Path dir) throws Exception {
        Path conf = shippedConfWithKeys(dir);
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Files.writeString(conf.resolve("agencies.yaml"), Files.readString(conf.resolve("agencies.yaml"))
                .replace("http://127.0.0.1:18081/tsunagi/messages", "http://127.0.0.1:" + closedPort + "/tsunagi/messages"));

        CliRun result = run(conf.toString());

        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("configuration valid")
                .contains("warning: " + conf.resolve("agencies.yaml") + ": tsunagi-hub connector: 127.0.0.1:" + closedPort + " cannot be reached now");
    }

    /** The shipped conf/ with its PEM paths in a key directory where every agency's keys were created. */
    private static Path shippedConfWithKeys(Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path keys = dir.resolve("keys");
        try (var files = Files.walk(Path.of("../conf"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = conf.resolve(Path.of("../conf").relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target);
            }
        }
        Files.writeString(conf.resolve("agencies.yaml"), Files.readString(conf.resolve("agencies.yaml")).replace("data/keys/", keys + "/"));
        AgencyDirectory agencies = AgencyDirectory.inConfDirectory(conf);
        KeyMaterial.writeFiles(keys, agencies.gateway().id(), agencies.gateway().id());
        for (var agency : agencies.agencies()) {
            KeyMaterial.writeFiles(keys, agency.id(), agency.id());
        }
        return conf;
    }

    private static int lineOf(Path conf, String text) throws Exception {
        List<String> lines = Files.readAllLines(conf.resolve("agencies.yaml"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text);
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

    @Test
    void aSupportMeetingThatDeclaresNoStatuteIsRefusedWithFileAndLine(@TempDir Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.copy(Path.of("../conf/agencies.yaml"), conf.resolve("agencies.yaml"));
        String policy = Files.readString(Path.of("../conf/policy.yaml"));
        Files.writeString(conf.resolve("policy.yaml"), policy.replace("    basis: NEEDY_PERSONS_ACT_ART9\n", ""));
        long line = policy.lines().takeWhile(l -> !l.contains("- id: SM-2026-0001")).count() + 1;

        CliRun result = run(conf.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).contains(conf.resolve("policy.yaml") + ", line " + line
                + ": support meeting \"SM-2026-0001\": missing \"basis\"");
    }

    @Test
    void aSuspendedAgencyIsNamedWithItsDateAndReason(@TempDir Path dir) throws Exception {
        Path conf = shippedConfWithKeys(dir);
        Files.writeString(conf.resolve("agencies.yaml"), Files.readString(conf.resolve("agencies.yaml")).replace(
                "    type: WELFARE_OFFICE\n", "    type: WELFARE_OFFICE\n    suspended:\n      since: 2026-12-01\n      reason: 協定の期間満了\n"));

        CliRun result = run(conf.toString());

        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("configuration valid").contains("suspended: tsunagi-welfare (つなぎ市福祉事務所)"
                + " since 2026-12-01: 協定の期間満了 (nothing is accepted from it; copies to it are held)");
    }

    @Test
    void aMappingFieldTheSchemaLacksAndARouteNamingAnUnknownMappingAndAgencyAreReportedWithTheirLines(@TempDir Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        for (String file : new String[] {"agencies.yaml", "policy.yaml"}) {
            Files.copy(Path.of("../conf", file), conf.resolve(file));
        }
        Files.createDirectories(conf.resolve("mappings"));
        Files.writeString(conf.resolve("mappings/council.yaml"), """
                format: csv
                messageType: REFERRAL
                fields:
                  - {path: referralId, column: 受付番号}
                  - {path: referral.subject.nmae.family, column: 氏名}
                """);
        Files.createDirectories(conf.resolve("routes"));
        Files.writeString(conf.resolve("routes/council.yaml"), """
                - route:
                    from:
                      uri: "kamelet:tsunagi-folder-source?directory=data/council"
                      steps:
                        - to: "tsunagi:intake?agency=tsunagi-council&mappings=council"
                        - to: "tsunagi:render?mappings=council-status"
                        - to: "kamelet:tsunagi-nowhere-sink"
                """);

        CliRun result = run(conf.toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.out()).contains(conf.resolve("mappings/council.yaml") + ", line 5: path: the message schema has no field referral.subject.nmae")
                .contains(conf.resolve("routes/council.yaml") + ", line 5: tsunagi:intake?agency=tsunagi-council&mappings=council: agency tsunagi-council is not in agencies.yaml")
                .contains(conf.resolve("routes/council.yaml") + ", line 6: tsunagi:render?mappings=council-status: no mapping council-status in mappings/")
                .contains(conf.resolve("routes/council.yaml") + ", line 7: no Kamelet tsunagi-nowhere-sink");
    }

    private static CliRun run(String conf) {
        return CliRun.run("config", "check", "--conf", conf);
    }

    /** The default conf/ copied whole into the test's directory. */
    private static Path copyOfTheDefaultConf(Path dir) throws Exception {
        Path from = Path.of("../conf");
        Path conf = dir.resolve("conf");
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, conf.resolve(from.relativize(file).toString()));
            }
        }
        return conf;
    }
}
