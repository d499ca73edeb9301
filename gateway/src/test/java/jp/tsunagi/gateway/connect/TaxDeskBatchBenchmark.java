package jp.tsunagi.gateway.connect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.connectors.simulator.AgencyFolder;
import jp.tsunagi.connectors.simulator.TaxDeskSystem;
import jp.tsunagi.gateway.bench.Spread;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;

/**
 * bench/run taxdesk: a tax-desk batch file (固定長, Windows-31J) of N well-formed records dropped into the tax desk's
 * folder of a running gateway (H2, in this process), timed from the drop until its result file is written, when every
 * record is a queued referral (or a refusal) in the store. Repeated R times, each on a fresh gateway.
 * Arguments: RECORDS (10000) RUNS (3) DIR (target/bench-taxdesk). Not a unit test.
 */
public final class TaxDeskBatchBenchmark {
    private TaxDeskBatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path base = Path.of(args.length > 2 ? args[2] : "target/bench-taxdesk").toAbsolutePath();
        List<byte[]> lines = new ArrayList<>(records);
        for (int n = 1; n <= records; n++) {
            lines.add(TaxDeskSystem.record(TaxDeskSystem.resident(n)));
        }
        byte[] file = TaxDeskSystem.file(lines);
        double[] perSecond = new double[runs];
        for (int run = 0; run < runs; run++) {
            Path dir = Files.createDirectories(base.resolve("run" + (run + 1) + "-" + System.nanoTime()));
            AgencyFolder taxDesk = AgencyFolder.create(dir.resolve("exchange/tax-desk"));
            try (GatewayFixture gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
                ConnectorConf.copyMappings(conf);
                ConnectorConf.route(conf, "tax-desk.yaml", ConnectorConf.taxDeskIntakeRoute(taxDesk, "tax-desk-referral"));
            })) {
                long start = System.nanoTime();
                taxDesk.drop("BATCH.DAT", file);
                Path result = taxDesk.in().resolve("BATCH.DAT.result.csv");
                Await.until(Duration.ofHours(2), () -> Files.exists(result) ? result : null);
                double seconds = (System.nanoTime() - start) / 1e9;
                perSecond[run] = records / seconds;
                System.out.printf("run %d: %,d records -> %,d queued referrals in %.1f s (%.0f records/s)%n", run + 1,
                        records, referrals(gateway), seconds, perSecond[run]);
            }
        }
        System.out.println("records/s min / median / max: " + Spread.of(perSecond, "%.0f"));
        System.exit(0);
    }

    private static long referrals(GatewayFixture gateway) throws Exception {
        try (Connection c = gateway.gateway.database().dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM referral WHERE sender = 'tsunagi-tax'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
