package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An H2 file written with WRITE_DELAY=0 (every commit on disk) is never compacted by H2 itself: under steady traffic
 * that appends rows and updates a hot one, as intake does (ledger rows, the audit head), the file grew with every
 * commit, without bound. Compacted, it reaches a size and stays there while the live rows grow slowly.
 * RETENTION_TIME=0 lets a dropped chunk's space be reused at once, so that the test need not wait H2's 45 seconds.
 */
class H2HousekeepingTest {
    private static final int COMMITS = 5000;
    private static final String SETTINGS = ";RETENTION_TIME=0";

    @TempDir
    Path dir;

    @Test
    void theGatewaysH2FileStopsGrowingUnderCommitsThatAppendRowsAndUpdateAHotOne() throws Exception {
        Path file = dir.resolve("gateway.mv.db");
        long growth;
        try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("gateway") + SETTINGS);
             H2Housekeeping housekeeping = H2Housekeeping.start(database::dedicatedConnection)) {
            growth = secondHalfGrowth(database.dataSource()::getConnection, housekeeping, file);
        }
        long withoutHousekeeping = uncompactedGrowth();
        assertThat(growth).as("growth of the file over the second %d commits, against %d bytes when H2 is left to itself",
                COMMITS / 2, withoutHousekeeping).isLessThan(withoutHousekeeping / 3);
    }

    /** The same commits on the same settings, with nothing compacting: what the gateway's file did before. */
    private long uncompactedGrowth() throws Exception {
        String url = Database.h2InPostgresMode("jdbc:h2:file:" + dir.resolve("bare") + SETTINGS);
        try (Connection keepsTheDatabaseOpen = DriverManager.getConnection(url)) {
            return secondHalfGrowth(() -> DriverManager.getConnection(url), null, dir.resolve("bare.mv.db"));
        }
    }

    private interface Connections {
        Connection get() throws SQLException;
    }

    private static long secondHalfGrowth(Connections connections, H2Housekeeping housekeeping, Path file) throws Exception {
        try (Connection c = connections.get(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE churn (id BIGINT PRIMARY KEY, body VARCHAR(100) NOT NULL)");
            s.execute("CREATE TABLE hot (id INT PRIMARY KEY, n BIGINT NOT NULL, body VARCHAR(4000))");
            s.execute("INSERT INTO hot VALUES (1, 0, NULL)");
        }
        String row = "x".repeat(20);
        String hot = "y".repeat(2000);
        long halfWay = 0;
        for (int i = 0; i < COMMITS; i++) {
            try (Connection c = connections.get();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO churn VALUES (?, ?)");
                 PreparedStatement update = c.prepareStatement("UPDATE hot SET n = n + 1, body = ? WHERE id = 1")) {
                insert.setLong(1, i);
                insert.setString(2, row);
                insert.executeUpdate();
                update.setString(1, hot);
                update.executeUpdate();
            }
            if (housekeeping != null && i % 20 == 19) {
                housekeeping.runOnce(); // as its timer does, at a rate the test decides
            }
            if (i == COMMITS / 2) {
                halfWay = Files.size(file);
            }
        }
        return Files.size(file) - halfWay;
    }

    /**
     * H2 closes a database when its last connection closes, and the pool replaces all its connections after 30
     * minutes at about the same time: the soak's database closed under the running intake at minute 28.
     */
    @Test
    void theDatabaseStaysOpenWhenThePoolReplacesEveryConnection() throws Exception {
        try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("kept"))) {
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                // a global temporary table lives as long as the open database, not longer
                s.execute("CREATE GLOBAL TEMPORARY TABLE still_open (n INT)");
            }
            ((com.zaxxer.hikari.HikariDataSource) database.dataSource()).getHikariPoolMXBean().softEvictConnections();
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
                 var r = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'still_open'")) {
                r.next();
                assertThat(r.getInt(1)).as("the table of the database as it was: not closed and reopened").isEqualTo(1);
            }
        }
    }
}
