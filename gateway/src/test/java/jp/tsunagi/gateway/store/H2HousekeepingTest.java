package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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
     * H2 closes a database when its last connection closes, and the pool replaces its connections after 30 minutes,
     * those opened together at about the same time.
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

    /**
     * H2 keeps a CHECK (x IN (...)) constraint bound to the session that created it: once the pool retired the
     * connection that had migrated a fresh database, every message was refused ("Check constraint invalid").
     */
    @Test
    void aFreshDatabaseTakesMessagesAfterThePoolRetiredEveryConnectionItHadAtTheStart() throws Exception {
        try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("fresh"))) {
            List<String> first = sessions(database);
            ((com.zaxxer.hikari.HikariDataSource) database.dataSource()).getHikariPoolMXBean().softEvictConnections();
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
            // until the pool has closed every connection it had (the housekeeping's own stays)
            while (sessions(database).stream().filter(first::contains).count() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertThat(s.executeUpdate("INSERT INTO message (message_id, message_type, sender, recipient, referral_id,"
                        + " received_at, content_sha256, format) VALUES ('m-1', 'REFERRAL', 'a', 'b', 'REF-2026-000001',"
                        + " CURRENT_TIMESTAMP, '" + "0".repeat(64) + "', 'JSON')")).isEqualTo(1);
            }
        }
    }

    /** The ids of the database's sessions other than the one asking and the housekeeping's. */
    private static List<String> sessions(Database database) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
             var r = s.executeQuery("SELECT session_id FROM information_schema.sessions WHERE session_id <> SESSION_ID()")) {
            List<String> ids = new java.util.ArrayList<>();
            while (r.next()) {
                ids.add(r.getString(1));
            }
            return ids;
        }
    }
}
