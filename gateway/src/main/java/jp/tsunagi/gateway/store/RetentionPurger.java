package jp.tsunagi.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;
import jp.tsunagi.gateway.settings.Settings;

/**
 * Retention (保存期間): after the configured period, the documents of finished messages are removed from the store
 * (set to NULL, with the time of removal). The rows stay, with their ids, hashes, times and codes, and the audit trail
 * is untouched: what happened stays provable, the personal data goes.
 *
 * <ul>
 *   <li>a forwarded copy: when DELIVERED or DEAD for longer than the retention (a dead letter can no longer be
 *       requeued then);</li>
 *   <li>an accepted message: when received longer ago than the retention and none of its copies is still PENDING.
 *       Its content hash and receipt are kept, so a late repeat is still answered 200 and a conflict 409.</li>
 * </ul>
 * Works in small transactions, so it never holds many rows locked; run it periodically (e.g. daily).
 */
public final class RetentionPurger {
    /** What is purged. */
    public enum Kind { MESSAGE, OUTBOX }

    /** Told of every purged document, inside the transaction that purges it (the audit plugs in here). */
    @FunctionalInterface
    public interface Listener {
        void purged(Connection c, Kind kind, String messageId, Instant at) throws SQLException;

        Listener NONE = (c, kind, messageId, at) -> { };
    }

    /** How many documents one run removed. */
    public record Report(int messages, int outbox) {
    }

    /** The property in {@code gateway.properties}: an ISO 8601 duration such as {@code P90D}. */
    public static final String RETENTION_PROPERTY = Settings.STORE_RETENTION.key();
    /** Until the municipality sets its own: 90 days after delivery (or dead-lettering). */
    public static final Duration DEFAULT_RETENTION = Settings.STORE_RETENTION.defaultValue();

    private static final int BATCH = 200;

    private final DataSource dataSource;
    private final Duration retention;
    private final Clock clock;
    private final Listener listener;

    public RetentionPurger(DataSource dataSource, Duration retention, Clock clock, Listener listener) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * The retention of {@value #RETENTION_PROPERTY}, else {@link #DEFAULT_RETENTION}.
     *
     * @throws IllegalArgumentException naming the property when the value is not an ISO 8601 duration
     */
    public static Duration retention(Properties properties) {
        return Settings.STORE_RETENTION.read(properties);
    }

    /** Purges what is older than the retention now. */
    public Report purge() throws SQLException {
        return purgeOlderThan(clock.instant().minus(retention));
    }

    public Report purgeOlderThan(Instant cutoff) throws SQLException {
        int outbox = run(Kind.OUTBOX, "SELECT o.id AS row_id, o.message_id FROM outbox o WHERE o.payload_enc IS NOT NULL"
                + " AND ((o.status = 'DELIVERED' AND o.delivered_at < ?) OR (o.status = 'DEAD' AND o.dead_at < ?))"
                + " ORDER BY o.id LIMIT ? FOR UPDATE SKIP LOCKED", 2,
                "UPDATE outbox SET payload_enc = NULL, payload_purged_at = ? WHERE id = ? AND payload_enc IS NOT NULL"
                + " AND status <> 'PENDING'", cutoff);
        int messages = run(Kind.MESSAGE, "SELECT m.message_id AS row_id, m.message_id FROM message m"
                + " WHERE m.payload_enc IS NOT NULL AND m.received_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.original_message_id = m.message_id"
                + " AND o.status = 'PENDING') ORDER BY m.received_at LIMIT ? FOR UPDATE SKIP LOCKED", 1,
                "UPDATE message SET payload_enc = NULL, payload_purged_at = ? WHERE message_id = ?"
                + " AND payload_enc IS NOT NULL", cutoff);
        return new Report(messages, outbox);
    }

    /** @param cutoffs how many leading parameters of {@code select} are the cutoff (the next one is the limit) */
    private int run(Kind kind, String select, int cutoffs, String update, Instant cutoff) throws SQLException {
        int total = 0;
        while (true) {
            int done = Transactions.inTransaction(dataSource, c -> batch(c, kind, select, cutoffs, update, cutoff));
            total += done;
            if (done < BATCH) {
                return total;
            }
        }
    }

    /** One batch; returns how many rows it selected (all of them are purged unless changed meanwhile). */
    private int batch(Connection c, Kind kind, String select, int cutoffs, String update, Instant cutoff)
            throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(select)) {
            for (int i = 1; i <= cutoffs; i++) {
                Rows.setTime(s, i, cutoff);
            }
            s.setInt(cutoffs + 1, BATCH);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(new String[] {r.getString("row_id"), r.getString("message_id")});
                }
            }
        }
        Instant at = Rows.micros(clock.instant());
        try (PreparedStatement s = c.prepareStatement(update)) {
            for (String[] row : rows) {
                Rows.setTime(s, 1, at);
                if (kind == Kind.OUTBOX) {
                    s.setLong(2, Long.parseLong(row[0]));
                } else {
                    s.setString(2, row[0]);
                }
                if (s.executeUpdate() == 1) {
                    listener.purged(c, kind, row[1], at);
                }
            }
        }
        return rows.size();
    }
}
