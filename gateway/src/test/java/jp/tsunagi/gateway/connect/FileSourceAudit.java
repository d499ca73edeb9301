package jp.tsunagi.gateway.connect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.gateway.intake.GatewayFixture;

/** What the audit trail says of the files a file source set aside for their names (after the chain caught up). */
final class FileSourceAudit {
    private FileSourceAudit() {
    }

    /** The outcome of each file.name_refused entry (the gateway's own refusals), in order. */
    static List<String> refusals(GatewayFixture gateway) {
        List<String> outcomes = new ArrayList<>();
        try (Connection c = chained(gateway);
             ResultSet rs = c.createStatement().executeQuery("SELECT actor, action, outcome FROM audit_entry"
                     + " WHERE code = 'file.name_refused' ORDER BY seq")) {
            while (rs.next()) {
                if (!rs.getString(1).equals("gateway") || !rs.getString(2).equals("REJECTED")) {
                    throw new AssertionError("a file.name_refused entry by " + rs.getString(1) + ", " + rs.getString(2));
                }
                outcomes.add(rs.getString(3));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return outcomes;
    }

    /** Every text column of every entry, one line each: to show a file's name is nowhere in the trail. */
    static String trail(GatewayFixture gateway) {
        StringBuilder all = new StringBuilder();
        try (Connection c = chained(gateway);
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM audit_entry ORDER BY seq")) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    all.append(rs.getString(i)).append(' ');
                }
                all.append('\n');
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return all.toString();
    }

    private static Connection chained(GatewayFixture gateway) throws SQLException {
        gateway.gateway.awaitAuditChained();
        return gateway.gateway.database().dataSource().getConnection();
    }
}
