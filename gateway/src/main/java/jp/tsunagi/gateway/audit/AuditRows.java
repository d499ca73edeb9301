package jp.tsunagi.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The SQL of the audit tables, in one place. Pages by seq (keyset), so that no query holds more than a page. */
final class AuditRows {
    static final String ENTRY_COLUMNS = "seq, at, actor, action, message_id, referral_id, subject_ref, data_categories, "
            + "basis, outcome, code, prev_hash, entry_hash";

    private AuditRows() {
    }

    static void insert(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_entry (" + ENTRY_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, e.seq());
            s.setObject(2, e.at());
            s.setString(3, e.actor());
            s.setString(4, e.action());
            s.setString(5, e.messageId());
            s.setString(6, e.referralId());
            s.setString(7, e.subjectRef());
            s.setString(8, e.dataCategories());
            s.setString(9, e.basis());
            s.setString(10, e.outcome());
            s.setString(11, e.code());
            s.setString(12, e.prevHash());
            s.setString(13, e.entryHash());
            s.executeUpdate();
        }
    }

    static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), AuditTime.normalize(rs.getObject(2, OffsetDateTime.class)), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13));
    }

    /** Entries with {@code after < seq <= upTo}, in seq order, at most {@code limit}. */
    static List<AuditEntry> page(Connection c, long after, long upTo, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + ENTRY_COLUMNS
                + " FROM audit_entry WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
            s.setLong(1, after);
            s.setLong(2, upTo);
            s.setInt(3, limit);
            return entries(s);
        }
    }

    private static List<AuditEntry> entries(PreparedStatement s) throws SQLException {
        List<AuditEntry> page = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                page.add(entry(rs));
            }
        }
        return page;
    }

    /** A row of {@code audit_checkpoint} or the row of {@code audit_head}: a signed (seq, hash, at). */
    record Anchor(long seq, OffsetDateTime at, String entryHash, String kid, String signature) {
    }

    static List<Anchor> checkpoints(Connection c, long after, int limit) throws SQLException {
        List<Anchor> page = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT seq, at, entry_hash, kid, signature FROM audit_checkpoint "
                + "WHERE seq > ? ORDER BY seq LIMIT ?")) {
            s.setLong(1, after);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    page.add(new Anchor(rs.getLong(1), AuditTime.normalize(rs.getObject(2, OffsetDateTime.class)),
                            rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return page;
    }

    static void insertCheckpoint(Connection c, Anchor checkpoint) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO audit_checkpoint (seq, at, entry_hash, kid, signature) VALUES (?, ?, ?, ?, ?)")) {
            s.setLong(1, checkpoint.seq());
            s.setObject(2, checkpoint.at());
            s.setString(3, checkpoint.entryHash());
            s.setString(4, checkpoint.kid());
            s.setString(5, checkpoint.signature());
            s.executeUpdate();
        }
    }

    /** The head row, null when it is missing. */
    static Anchor head(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT last_seq, at, last_hash, kid, signature FROM audit_head WHERE head_id = 1");
             ResultSet rs = s.executeQuery()) {
            return rs.next() ? new Anchor(rs.getLong(1), AuditTime.normalize(rs.getObject(2, OffsetDateTime.class)),
                    rs.getString(3), rs.getString(4), rs.getString(5)) : null;
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + table); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
