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
 * that appends rows and updates a hot one, as intake does (ledger rows, the audit head), the file grew without bound.
 * RETENTION_TIME=0 lets a dropped chunk's space be reused at once, so that the test need not wait H2's 45 seconds.
 */
class H2HousekeepingTest {
    private static final int COMMITS = 5000;
    private static final String SETTINGS = ";RETENTION_TIME=0";

    @TempDir
    Path dir;

    @Test
    void theGatewaysH2FileStaysCompactUnderCommitsThatAppendRowsAndUpdateAHotOne() throws Exception {
        Path file = dir.resolve("gateway.mv.db");
        try (Database database = Database.open("jdbc:h2:file:" + dir.resolve("gateway") + SETTINGS);
             H2Housekeeping housekeeping = H2Housekeeping.start(database.dataSource())) {
            churn(database.dataSource()::getConnection, housekeeping);
        }
        long withoutHousekeeping = uncompactedSize();
        assertThat(Files.size(file)).as("file of %d commits, against %d bytes when H2 is left to itself", COMMITS,
                withoutHousekeeping).isLessThan(withoutHousekeeping / 4);
    }

    /** The same commits on the same settings, with nothing compacting: what the gateway's file did before. */
    private long uncompactedSize() throws Exception {
        String url = Database.h2InPostgresMode("jdbc:h2:file:" + dir.resolve("bare") + SETTINGS);
        try (Connection keepsTheDatabaseOpen = DriverManager.getConnection(url)) {
            churn(() -> DriverManager.getConnection(url), null);
        }
        return Files.size(dir.resolve("bare.mv.db"));
    }

    private interface Connections {
        Connection get() throws SQLException;
    }

    private static void churn(Connections connections, H2Housekeeping housekeeping) throws Exception {
        try (Connection c = connections.get(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE churn (id BIGINT PRIMARY KEY, body VARCHAR(1000) NOT NULL)");
            s.execute("CREATE TABLE hot (id INT PRIMARY KEY, n BIGINT NOT NULL)");
            s.execute("INSERT INTO hot VALUES (1, 0)");
        }
        String body = "x".repeat(500);
        for (int i = 0; i < COMMITS; i++) {
            try (Connection c = connections.get();
                 PreparedStatement insert = c.prepareStatement("INSERT INTO churn VALUES (?, ?)");
                 PreparedStatement update = c.prepareStatement("UPDATE hot SET n = n + 1 WHERE id = 1")) {
                insert.setLong(1, i);
                insert.setString(2, body);
                insert.executeUpdate();
                update.executeUpdate();
            }
            if (housekeeping != null && i % 100 == 99) {
                housekeeping.runOnce(); // as its timer does, at a rate the test decides
            }
        }
    }
}
