package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.tsunagi.connectors.simulator.AgencyFolder;
import jp.tsunagi.connectors.simulator.TaxDeskSystem;
import jp.tsunagi.connectors.text.FixedWidthText;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch the issue names: 10,000 tax-desk records of which 1% are malformed give 9,900 referrals and a result file
 * naming each of the 100 rejected records and why; the same file dropped again creates no duplicates.
 */
class TaxDeskBatchTest {
    private static final int RECORDS = 10_000;

    @TempDir
    Path dir;

    @Test
    void tenThousandRecordsWithOnePercentMalformedGive9900ReferralsAndARerunGivesNone() throws Exception {
        AgencyFolder taxDesk = AgencyFolder.create(dir.resolve("exchange/tax-desk"));
        Map<Integer, String> malformed = new TreeMap<>();
        byte[] file = batch(malformed);
        try (GatewayFixture gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            ConnectorConf.copyMappings(conf);
            ConnectorConf.route(conf, "tax-desk.yaml", ConnectorConf.taxDeskIntakeRoute(taxDesk, "tax-desk-referral"));
        })) {
            taxDesk.drop("BATCH.DAT", file);
            List<String> first = result(taxDesk);

            assertThat(first).hasSize(RECORDS);
            assertThat(first.stream().filter(l -> l.contains(",ACCEPTED,"))).hasSize(9_900);
            List<String> rejected = first.stream().filter(l -> l.contains(",REJECTED,")).toList();
            assertThat(rejected).hasSize(100);
            for (String line : rejected) {
                int record = Integer.parseInt(line.substring(0, line.indexOf(',')));
                assertThat(line).as("record " + record).contains("," + malformed.get(record) + ",");
            }
            assertThat(referralsFromTheTaxDesk(gateway)).isEqualTo(9_900);

            Files.delete(taxDesk.in().resolve("BATCH.DAT.result.csv"));
            taxDesk.drop("BATCH.DAT", file);
            List<String> again = result(taxDesk);

            assertThat(again.stream().filter(l -> l.contains(",DUPLICATE,"))).hasSize(9_900);
            assertThat(again.stream().filter(l -> l.contains(",REJECTED,"))).hasSize(100);
            assertThat(referralsFromTheTaxDesk(gateway)).isEqualTo(9_900);
        }
    }

    /** Every 100th record is broken, in turn in each way a tax file goes wrong; their codes are noted. */
    private static byte[] batch(Map<Integer, String> malformed) {
        List<byte[]> records = new ArrayList<>(RECORDS);
        for (int n = 1; n <= RECORDS; n++) {
            byte[] record = TaxDeskSystem.record(TaxDeskSystem.resident(n));
            if (n % 100 == 50) {
                switch ((n / 100) % 5) {
                    case 0 -> { // 令和 13月: no such date
                        System.arraycopy("5071301".getBytes(FixedWidthText.WINDOWS_31J), 0, record, 97, 7);
                        malformed.put(n, "mapping.invalid_value");
                    }
                    case 1 -> { // 税目 07 is not in the code table
                        record[211] = '7';
                        malformed.put(n, "mapping.unknown_code");
                    }
                    case 2 -> { // a record cut short
                        record = Arrays.copyOf(record, 300);
                        malformed.put(n, "mapping.record_length");
                    }
                    case 3 -> { // the family name left blank
                        Arrays.fill(record, 17, 37, (byte) ' ');
                        malformed.put(n, "mapping.required");
                    }
                    default -> { // a consent that expired before it was given: refused by the gateway's rules
                        System.arraycopy("5080101".getBytes(FixedWidthText.WINDOWS_31J), 0, record, 382, 7);
                        malformed.put(n, "consent.period_invalid");
                    }
                }
            }
            records.add(record);
        }
        return TaxDeskSystem.file(records);
    }

    private static List<String> result(AgencyFolder taxDesk) throws InterruptedException {
        Path result = taxDesk.in().resolve("BATCH.DAT.result.csv");
        return Await.until(Duration.ofMinutes(5), () -> {
            if (!Files.exists(result)) {
                return null;
            }
            List<String> lines = List.of(new String(Files.readAllBytes(result), FixedWidthText.WINDOWS_31J).split("\r\n"));
            return lines.subList(1, lines.size());
        });
    }

    private static long referralsFromTheTaxDesk(GatewayFixture gateway) throws SQLException {
        try (Connection c = gateway.gateway.database().dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM referral WHERE sender = 'tsunagi-tax'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
