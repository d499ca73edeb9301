package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2 only: each identity column (outbox.id, audit_pending.id, ...) keeps 1,000 values in memory instead of 32.
 * Each time H2 runs out of cached values it writes the sequence to its file in a commit of its own, and with
 * WRITE_DELAY=0 that is a whole write of the store: with about nine identity values a message, 3 % of the gateway's
 * CPU under load (docs/benchmarks.md). The cost of a larger cache is a gap of up to 1,000 in the numbers after a crash;
 * nothing relies on them being without gaps (a rolled-back insert leaves one too). PostgreSQL is left as it is: its
 * cache is per session, so values would no longer grow in the order they were taken.
 */
public class V14__H2IdentityCache extends BaseJavaMigration {
    static final int CACHE = 1000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        if (!c.getMetaData().getDatabaseProductName().equals("H2")) {
            return;
        }
        List<String> alters = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT table_name, column_name FROM information_schema.columns"
                     + " WHERE table_schema = CURRENT_SCHEMA AND is_identity = 'YES'")) {
            while (r.next()) {
                alters.add("ALTER TABLE " + r.getString(1) + " ALTER COLUMN " + r.getString(2) + " SET CACHE " + CACHE);
            }
        }
        try (Statement s = c.createStatement()) {
            for (String alter : alters) {
                s.execute(alter);
            }
        }
    }
}
