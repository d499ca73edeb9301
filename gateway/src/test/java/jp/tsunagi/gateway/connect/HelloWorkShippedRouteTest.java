package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagi.connectors.simulator.HelloWorkSystem;
import jp.tsunagi.connectors.simulator.SftpAgencyServer;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped conf/routes/hello-work.yaml as the demo runs it (its SFTP port moved to a free one, as the demo test
 * does): its user, password and directories work against the simulator, both ways.
 */
class HelloWorkShippedRouteTest {
    @TempDir
    Path dir;
    SftpAgencyServer helloWork;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        helloWork = SftpAgencyServer.start(dir.resolve("hellowork-sftp"), 0, "tsunagi", "tsunagi-demo-sftp");
        String shipped = Files.readString(Path.of("../conf/routes/hello-work.yaml"));
        assertThat(shipped).contains("port: 18022");
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            ConnectorConf.copyMappings(conf);
            ConnectorConf.connector(conf, "tsunagi-hellowork", "route", "direct:hellowork-out");
            ConnectorConf.route(conf, "hello-work.yaml", shipped.replace("port: 18022", "port: " + helloWork.port()));
            // the password as the shipped gateway.properties gives it to the route's placeholder
            String password = Files.readAllLines(Path.of("../conf/gateway.properties")).stream()
                    .filter(line -> line.startsWith("hellowork.sftp.password=")).findFirst().orElseThrow();
            Files.writeString(conf.resolve("gateway.properties"), "\n" + password + "\n", java.nio.file.StandardOpenOption.APPEND);
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
