package jp.tsunagi.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * How many copies wait, retry and are dead-lettered, and since when the oldest waits: what the dashboard shows and
 * the metrics export. A copy is waiting (pending) before its first attempt, retrying after a failed one.
 *
 * @param oldestPending  when the oldest copy not yet delivered (pending or retrying) was queued; null if none
 * @param oldestDead     when the oldest dead-lettered copy was given up; null if none
 */
public record OutboxCounts(long pending, long retrying, long dead, Instant oldestPending, Instant oldestDead) {
    public static OutboxCounts read(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT"
                + " COALESCE(SUM(CASE WHEN status = 'PENDING' AND attempts = 0 THEN 1 ELSE 0 END), 0),"
                + " COALESCE(SUM(CASE WHEN status = 'PENDING' AND attempts > 0 THEN 1 ELSE 0 END), 0),"
                + " COALESCE(SUM(CASE WHEN status = 'DEAD' THEN 1 ELSE 0 END), 0),"
                + " MIN(CASE WHEN status = 'PENDING' THEN created_at END) AS oldest_pending,"
                + " MIN(CASE WHEN status = 'DEAD' THEN dead_at END) AS oldest_dead"
                + " FROM outbox WHERE status <> 'DELIVERED'");
             ResultSet rows = s.executeQuery()) {
            rows.next();
            return new OutboxCounts(rows.getLong(1), rows.getLong(2), rows.getLong(3), Rows.time(rows, "oldest_pending"),
                    Rows.time(rows, "oldest_dead"));
        }
    }

    /** Seconds the oldest waiting copy has waited at the time, 0 if none waits. */
    public long oldestPendingSeconds(Instant now) {
        return oldestPending == null ? 0 : Math.max(0, now.getEpochSecond() - oldestPending.getEpochSecond());
    }
}
