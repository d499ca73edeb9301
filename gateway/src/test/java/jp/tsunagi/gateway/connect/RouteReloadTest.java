package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import jp.tsunagi.connectors.simulator.AgencyFolder;
import jp.tsunagi.connectors.simulator.TaxDeskSystem;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Editing a route file of a running gateway: a change is applied only if it is valid and starts; otherwise the
 * running routes stay, the refusal is in health, and the API and the folder connector never stop.
 */
class RouteReloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    AgencyFolder taxDesk;
    GatewayFixture gateway;
    Path routeFile;
    String route;
    int referrals;
    int files;

    @BeforeEach
    void start() throws Exception {
        taxDesk = AgencyFolder.create(dir.resolve("exchange/tax-desk"));
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            ConnectorConf.copyMappings(conf);
            ConnectorConf.connector(conf, "tsunagi-tax", "route", "direct:tax-desk-out");
            route = ConnectorConf.taxDeskRoutes(taxDesk);
            ConnectorConf.route(conf, "tax-desk.yaml", route);
            ConnectorConf.route(conf, "community-support.yaml", """
                    - route:
                        id: community-support-in
                        from:
                          uri: "kamelet:tsunagi-http-source"
                          parameters: {path: /connectors/houkatsu}
                          steps:
                            - to: "tsunagi:intake?agency=tsunagi-houkatsu&mappings=houkatsu-household,houkatsu-status&result=json"
                    """);
            routeFile = conf.resolve("routes/tax-desk.yaml");
        });
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aHarmlessEditIsAppliedAndABrokenOrFailingOneIsRefusedWhileTheApiAndTheFolderKeepWorking() throws Exception {
        theGatewayAnswersAndTheFolderIsRead();

        edit(route + "# 2026-12 担当者メモ: コメントを追記\n");
        JsonNode applied = awaitReload(1);
        assertThat(applied.path("status").asText()).isEqualTo("UP");
        theGatewayAnswersAndTheFolderIsRead();

        edit(route + "- route: {id: broken, from: {uri: \"direct:x\"\n");
        JsonNode broken = awaitReload(2);
        assertThat(broken.path("status").asText()).isEqualTo("REFUSED");
        assertThat(broken.path("error").asText()).contains("tax-desk.yaml, line ");
        theGatewayAnswersAndTheFolderIsRead();

        // valid YAML that config check accepts, but a mistyped endpoint option: the route cannot start
        edit(route + """
                - route:
                    id: tax-desk-archive
                    from:
                      uri: "file:%s?readLockMinAge=100&dealy=100"
                      steps:
                        - to: "log:never"
                """.formatted(dir.resolve("archive")));
        JsonNode failing = awaitReload(3);
        assertThat(failing.path("status").asText()).isEqualTo("REFUSED");
        assertThat(failing.path("error").asText()).startsWith("a route failed to start");
        theGatewayAnswersAndTheFolderIsRead();
        assertThat(gateway.get("/connectors/houkatsu", null).statusCode()).isNotEqualTo(404);
    }

    @Test
    void aMappingThatNoLongerCompilesIsRefusedAndTheRunningOneKeepsReadingFiles() throws Exception {
        Path mapping = routeFile.getParent().resolveSibling("mappings").resolve("tax-desk-referral.yaml");
        String original = Files.readString(mapping);

        replace(mapping, original.replace("path: referral.subject.name.family,", "path: referral.subject.nmae.family,"));
        JsonNode refused = awaitReload(1);

        assertThat(refused.path("status").asText()).isEqualTo("REFUSED");
        assertThat(refused.path("error").asText()).contains("tax-desk-referral.yaml, line ", "referral.subject.nmae");
        theGatewayAnswersAndTheFolderIsRead();

        replace(mapping, original + "# 2026-12 確認済み\n");
        assertThat(awaitReload(2).path("status").asText()).isEqualTo("UP");
        theGatewayAnswersAndTheFolderIsRead();
    }

    /** 202 for a new referral, health, metrics and OpenAPI answer, and a dropped file gets its result. */
    private void theGatewayAnswersAndTheFolderIsRead() throws Exception {
        referrals++;
        String referralId = "REF-2026-0009%02d".formatted(referrals);
        var answer = gateway.send(gateway.sample("F1-", m -> m.put("referralId", referralId)));
        assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(202);
        assertThat(gateway.get("/api/v1/health", null).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/metrics", null).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/openapi.json", null).statusCode()).isEqualTo(200);

        files++;
        String name = "RELOAD_" + files + ".DAT";
        taxDesk.drop(name, TaxDeskSystem.file(List.of(TaxDeskSystem.record(TaxDeskSystem.resident(100 + files)))));
        byte[] result = Await.file(taxDesk.in(), (name + ".result.csv")::equals);
        assertThat(new String(result, jp.tsunagi.connectors.text.FixedWidthText.WINDOWS_31J)).contains("1,ACCEPTED,");
    }

    /** Replaces the route file in one step, as an editor saving it does. */
    private void edit(String yaml) throws Exception {
        replace(routeFile, yaml);
    }

    private static void replace(Path file, String yaml) throws Exception {
        Path draft = file.resolveSibling("." + file.getFileName() + ".draft");
        Files.writeString(draft, yaml);
        Files.move(draft, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The configReload check of health once it has seen that many changes. */
    private JsonNode awaitReload(int changes) throws InterruptedException {
        return Await.until(() -> {
            JsonNode check;
            try {
                check = JSON.readTree(gateway.get("/api/v1/health", null).body()).path("checks").path("configReload");
            } catch (Exception e) {
                return null;
            }
            return check.path("changes").asInt() >= changes ? check : null;
        });
    }
}
