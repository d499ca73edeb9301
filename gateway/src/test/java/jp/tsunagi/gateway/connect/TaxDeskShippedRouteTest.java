package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import jp.tsunagi.connectors.simulator.AgencyFolder;
import jp.tsunagi.connectors.simulator.TaxDeskSystem;
import jp.tsunagi.connectors.text.FixedWidthText;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped conf/routes/tax-desk.yaml unchanged: its folders are {{tsunagi.exchange.dir}}, which Camel takes from
 * tsunagi.exchange.dir of gateway.properties.
 */
class TaxDeskShippedRouteTest {
    @TempDir
    Path dir;
    AgencyFolder taxDesk;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        Path exchange = dir.resolve("exchange");
        taxDesk = AgencyFolder.create(exchange.resolve("tax-desk"));
        String shipped = Files.readString(Path.of("../conf/routes/tax-desk.yaml"));
        assertThat(shipped).contains("{{tsunagi.exchange.dir}}/tax-desk/out").doesNotContain("directory: data/");
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            ConnectorConf.copyMappings(conf);
            ConnectorConf.connector(conf, "tsunagi-tax", "route", "direct:tax-desk-out");
            ConnectorConf.route(conf, "tax-desk.yaml", shipped);
            Files.writeString(conf.resolve("gateway.properties"), "\ntsunagi.exchange.dir=" + exchange + "\n",
                    StandardOpenOption.APPEND);
        });
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void theRoutesFoldersAreThoseOfTheExchangeDirSetting() throws Exception {
        taxDesk.drop("TSUNAGI_20261201.DAT", TaxDeskSystem.file(List.of(TaxDeskSystem.record(TaxDeskSystem.resident(31)))));

        String result = new String(Await.file(taxDesk.in(), name -> name.equals("TSUNAGI_20261201.DAT.result.csv")),
                FixedWidthText.WINDOWS_31J);

        assertThat(result).contains("\n1,ACCEPTED,TAX-2026-000031,");
        assertThat(gateway.awaitCopies("tsunagi-hub", 1)).hasSize(1);
    }
}
