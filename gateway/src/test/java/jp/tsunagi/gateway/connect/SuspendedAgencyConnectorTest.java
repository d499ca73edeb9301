package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import jp.tsunagi.connectors.simulator.AgencyFolder;
import jp.tsunagi.connectors.simulator.TaxDeskSystem;
import jp.tsunagi.connectors.text.FixedWidthText;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 利用停止 holds for connector intake too: a suspended agency's records are refused like its HTTP messages. */
class SuspendedAgencyConnectorTest {
    @TempDir
    Path dir;

    @Test
    void aRecordFromASuspendedTaxDeskIsRefusedWithAgencySuspendedAuditedAndBecomesNoReferral() throws Exception {
        AgencyFolder taxDesk = AgencyFolder.create(dir.resolve("exchange/tax-desk"));
        try (GatewayFixture gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            Path agencies = conf.resolve("agencies.yaml");
            Files.writeString(agencies, Files.readString(agencies).replace("    type: TAX_DESK\n",
                    "    type: TAX_DESK\n    suspended:\n      since: 2026-12-01\n      reason: 協定の期間満了\n"));
            ConnectorConf.copyMappings(conf);
            ConnectorConf.route(conf, "tax-desk.yaml", ConnectorConf.taxDeskIntakeRoute(taxDesk, "tax-desk-referral"));
        })) {
            taxDesk.drop("ONE.DAT", TaxDeskSystem.file(List.of(TaxDeskSystem.record(TaxDeskSystem.resident(1)))));

            Path result = taxDesk.in().resolve("ONE.DAT.result.csv");
            String answer = Await.until(Duration.ofMinutes(1), () -> Files.exists(result)
                    ? new String(Files.readAllBytes(result), FixedWidthText.WINDOWS_31J) : null);

            assertThat(answer.split("\r\n")).hasSize(2);
            assertThat(answer.split("\r\n")[1]).contains(",REJECTED,").contains(",agency.suspended,");
            assertThat(count(gateway, "SELECT COUNT(*) FROM audit_entry WHERE action = 'REJECTED'"
                    + " AND actor = 'tsunagi-tax' AND code = 'agency.suspended'")).isEqualTo(1);
            assertThat(count(gateway, "SELECT COUNT(*) FROM referral")).isZero();
        }
    }

    private static long count(GatewayFixture gateway, String sql) throws SQLException {
        gateway.gateway.awaitAuditChained();
        try (Connection c = gateway.gateway.database().dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
