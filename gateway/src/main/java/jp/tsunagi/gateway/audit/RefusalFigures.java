package jp.tsunagi.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/** How many messages were refused (REJECTED entries of the trail) since a time, by problem code, most frequent first. */
public final class RefusalFigures {
    private RefusalFigures() {
    }

    public static Map<String, Long> byCode(Connection c, Instant since) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(code, '-') AS code, COUNT(*) AS n FROM audit_entry"
                + " WHERE action = ? AND at >= ? GROUP BY COALESCE(code, '-') ORDER BY n DESC, code")) {
            s.setString(1, AuditAction.REJECTED.name());
            s.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }
}
