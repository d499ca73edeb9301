package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jp.tsunagi.connectors.simulator.HelloWorkSystem;
import jp.tsunagi.connectors.simulator.SftpAgencyServer;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped conf/routes/hello-work.yaml with the shipped settings of gateway.properties, only the server's address
 * and known_hosts filled in as an integrator does (the password from the environment, HELLOWORK_SFTP_PASSWORD, which
 * the build sets for the tests): the host key pinned, its user, password and directories work against the simulated
 * server, both ways.
 */
class HelloWorkShippedRouteTest {
    @TempDir
    Path dir;
    SftpAgencyServer helloWork;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        String password = System.getenv("HELLOWORK_SFTP_PASSWORD");
        assertThat(password).as("the build sets HELLOWORK_SFTP_PASSWORD for the tests (gateway/pom.xml)").isNotBlank();
        helloWork = SftpAgencyServer.start(dir.resolve("hellowork-sftp"), 0, "tsunagi", password);
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, helloWork.knownHostsLine("127.0.0.1") + "\n");
        String shipped = Files.readString(Path.of("../conf/routes/hello-work.yaml"));
        assertThat(shipped).contains("knownHostsFile: \"{{hellowork.sftp.known-hosts}}\"").doesNotContain("strictHostKeyChecking: \"no\"");
        Map<String, String> filledIn = Map.of("hellowork.sftp.host", "127.0.0.1", "hellowork.sftp.port",
                String.valueOf(helloWork.port()), "hellowork.sftp.known-hosts", knownHosts.toString());
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            ConnectorConf.copyMappings(conf);
            ConnectorConf.connector(conf, "tsunagi-hellowork", "route", "direct:hellowork-out");
            ConnectorConf.route(conf, "hello-work.yaml", shipped);
            // the route's settings as the shipped gateway.properties has them, the integrator's values filled in
            String settings = Files.readAllLines(Path.of("../conf/gateway.properties")).stream()
                    .filter(line -> line.startsWith("hellowork.sftp."))
                    .map(line -> filledIn.entrySet().stream().filter(e -> line.startsWith(e.getKey() + "=")).findFirst()
                            .map(e -> e.getKey() + "=" + e.getValue()).orElse(line))
                    .collect(Collectors.joining("\n"));
            assertThat(settings).contains("hellowork.sftp.password={{env:HELLOWORK_SFTP_PASSWORD}}");
            Files.writeString(conf.resolve("gateway.properties"), "\n" + settings + "\n", java.nio.file.StandardOpenOption.APPEND);
        });
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        helloWork.close();
    }

    @Test
    void theShippedRouteUploadsTheHubsRequestAndReadsHelloWorksFilesOnTheDemoServer() throws Exception {
        var answer = gateway.send(gateway.sample("F4-hub-to-hellowork-team-support"));
        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);
        Path to = Files.createDirectories(helloWork.root().resolve("to-hellowork"));
        assertThat(new String(Await.file(to, n -> n.startsWith("referral-")), HelloWorkSystem.WINDOWS_31J))
                .startsWith("データ種別,依頼番号,").contains("\r\n11,REF-2026-000167,tsunagi-hub,01,小林,翔太,ｺﾊﾞﾔｼ,ｼｮｳﾀ,平成6年5月9日,");

        HelloWorkSystem.upload(helloWork, "/from-hellowork", "RIYOKANSHO.csv", HelloWorkSystem.file(
                HelloWorkSystem.RECOMMENDATION_COLUMNS,
                List.of(HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, HelloWorkSystem.recommendation(300)))));

        String result = new String(Await.file(to, n -> n.equals("RIYOKANSHO.csv.result.csv")), HelloWorkSystem.WINDOWS_31J);
        assertThat(result).contains("\r\n1,ACCEPTED,HW-2026-000300,");
        assertThat(gateway.awaitCopiesFrom("tsunagi-hub", "tsunagi-hellowork", 1)).hasSize(1);
    }
}
