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

    /** The first 13 parameters: an entry's columns in the order of ENTRY_COLUMNS. */
    private static void bind(PreparedStatement s, AuditEntry e) throws SQLException {
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
    }

    static void insert(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_entry (" + ENTRY_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(s, e);
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

    /**
     * A row of {@code audit_checkpoint} or the row of {@code audit_head}: a signed (seq, hash, at). The head also
     * signs {@code checkpoints} (null: a checkpoint row, or a head signed before the head committed to them).
     */
    record Anchor(long seq, OffsetDateTime at, String entryHash, String kid, String signature, Checkpoints checkpoints) {
        Anchor(long seq, OffsetDateTime at, String entryHash, String kid, String signature) {
            this(seq, at, entryHash, kid, signature, null);
        }
    }

    /** What the signed head says of the checkpoints: how many there are, and the seq of the last one (0: none). */
    record Checkpoints(long count, long lastSeq) {
    }

    static List<Anchor> checkpoints(Connection c, long after, int limit) throws SQLException {
        return checkpoints(c, after, Long.MAX_VALUE, limit);
    }

    /** Checkpoints with {@code after < seq <= upTo}, in seq order, at most {@code limit}. */
    static List<Anchor> checkpoints(Connection c, long after, long upTo, int limit) throws SQLException {
        List<Anchor> page = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT seq, at, entry_hash, kid, signature FROM audit_checkpoint "
                + "WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
            s.setLong(1, after);
            s.setLong(2, upTo);
            s.setInt(3, limit);
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
        try (PreparedStatement s = c.prepareStatement("SELECT last_seq, at, last_hash, kid, signature, checkpoint_seq, "
                + "checkpoint_count FROM audit_head WHERE head_id = 1");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long count = rs.getLong(7);
            Checkpoints checkpoints = rs.wasNull() ? null : new Checkpoints(count, rs.getLong(6));
            return new Anchor(rs.getLong(1), AuditTime.normalize(rs.getObject(2, OffsetDateTime.class)), rs.getString(3),
                    rs.getString(4), rs.getString(5), checkpoints);
        }
    }

    // ---- entries not chained yet (audit_pending)

    private static final String PENDING_COLUMNS = "at, actor, action, message_id, referral_id, subject_ref, "
            + "data_categories, basis, outcome, code";

    /**
     * Inserts the events as pending entries in the connection's transaction: one statement each, no lock. The
     * statement reads the head row (without locking it) so that a trail whose head was deleted records nothing,
     * as before: the caller's transaction fails. Returns the entries' ids.
     */
    static long[] insertPending(Connection c, OffsetDateTime at, List<AuditEvent> events) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_pending (" + PENDING_COLUMNS + ") SELECT "
                + "CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(32)), "
                + "CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(256)), "
                + "CAST(? AS VARCHAR(128)), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(128)) "
                + "FROM audit_head WHERE head_id = 1", new String[] {"id"})) {
            for (AuditEvent e : events) {
                s.setObject(1, at);
                s.setString(2, e.actor());
                s.setString(3, e.action().name());
                s.setString(4, e.messageId());
                s.setString(5, e.referralId());
                s.setString(6, e.subjectRef());
                s.setString(7, e.categoryList());
                s.setString(8, e.basis());
                s.setString(9, e.outcome());
                s.setString(10, e.code());
                if (events.size() == 1) {
                    if (s.executeUpdate() != 1) {
                        throw headMissing();
                    }
                } else {
                    s.addBatch();
                }
            }
            if (events.size() > 1) {
                for (int count : s.executeBatch()) {
                    if (count == 0) {
                        throw headMissing();
                    }
                }
            }
            long[] ids = new long[events.size()];
            try (ResultSet keys = s.getGeneratedKeys()) {
                for (int i = 0; i < ids.length; i++) {
                    if (!keys.next()) {
                        throw new SQLException("the database returned no id for a pending audit entry");
                    }
                    ids[i] = keys.getLong(1);
                }
            }
            return ids;
        }
    }

    static IllegalStateException headMissing() {
        return new IllegalStateException("the audit head row is missing: the audit trail was tampered with "
                + "(run 'tsunagi audit verify'); nothing can be recorded, so nothing is accepted");
    }

    /** An entry committed but not chained: its id, when it was written, and what it records. */
    record Pending(long id, OffsetDateTime at, String actor, String action, String messageId, String referralId,
            String subjectRef, String dataCategories, String basis, String outcome, String code) {
    }

    /** The committed pending entries with the lowest ids, at most {@code limit}, by id. */
    static List<Pending> pending(Connection c, int limit) throws SQLException {
        List<Pending> page = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, " + PENDING_COLUMNS
                + " FROM audit_pending ORDER BY id LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    page.add(new Pending(rs.getLong(1), AuditTime.normalize(rs.getObject(2, OffsetDateTime.class)),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                            rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11)));
                }
            }
        }
        return page;
    }

    /** Inserts chained entries (with the pending id each had) in one batch. */
    static void insertChained(Connection c, List<AuditEntry> entries, List<Pending> from) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_entry (" + ENTRY_COLUMNS
                + ", entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < entries.size(); i++) {
                AuditEntry e = entries.get(i);
                bind(s, e);
                s.setLong(14, from.get(i).id());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Deletes the pending rows just chained; fails when one is gone (another sequencer chained it: roll back). */
    static void deletePending(Connection c, List<Pending> chained) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM audit_pending WHERE id = ?")) {
            for (Pending p : chained) {
                s.setLong(1, p.id());
                s.addBatch();
            }
            for (int count : s.executeBatch()) {
                if (count == 0) {
                    throw new IllegalStateException("a pending audit entry was chained by someone else meanwhile");
                }
            }
        }
    }

    /** How many committed entries wait to be chained, and when the oldest of them was written (null: none). */
    record Unchained(long count, OffsetDateTime oldest) {
        static final Unchained NONE = new Unchained(0, null);
    }

    static Unchained unchained(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*), MIN(at) FROM audit_pending");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return new Unchained(rs.getLong(1), AuditTime.normalize(rs.getObject(2, OffsetDateTime.class)));
        }
    }

    /** The highest pending id committed now (0: none). */
    static long lastPendingId(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MAX(id) FROM audit_pending"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether a pending entry with an id up to {@code upTo} is still there. */
    static boolean pendingUpTo(Connection c, long upTo) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM audit_pending WHERE id <= ? LIMIT 1")) {
            s.setLong(1, upTo);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM " + table); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
