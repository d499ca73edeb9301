package jp.tsunagi.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagi.schema.signature.KeyResolver;

/**
 * Reading the audit trail for the console: entries by filter, newest first, a page at a time by sequence number
 * (keyset pagination: the query never skips rows, so the thousandth page costs what the first does); one entry with
 * the signed checkpoint that covers it; the head and the last checkpoint with their signature status.
 */
public final class AuditSearch {
    /**
     * What the audit trail page filters by; null or blank: any. {@code from} inclusive, {@code to} exclusive.
     * {@code agency} matches the entries an agency is the actor of (what it sent); {@code subjectRef} the entries
     * about one person (a keyed pseudonym).
     */
    public record Filter(OffsetDateTime from, OffsetDateTime to, String action, String actor, String agency,
            String referralId, String messageId, String code, String subjectRef) {
        public static final Filter ALL = new Filter(null, null, null, null, null, null, null, null, null);

        public Filter {
            action = blankToNull(action);
            actor = blankToNull(actor);
            agency = blankToNull(agency);
            referralId = blankToNull(referralId);
            messageId = blankToNull(messageId);
            code = blankToNull(code);
            subjectRef = blankToNull(subjectRef);
        }
    }

    /** One page, newest first; {@code nextBefore} is the seq to continue below, null on the last page. */
    public record Page(List<AuditEntry> entries, Long nextBefore) {
    }

    /** A signed anchor (a checkpoint or the head); {@code signatureProblem} null when the gateway's key verifies it. */
    public record Signed(long seq, OffsetDateTime at, String entryHash, String kid, String signatureProblem) {
        public boolean signatureValid() {
            return signatureProblem == null;
        }
    }

    private AuditSearch() {
    }

    /** Entries matching the filter with {@code seq < before} (0: from the newest), newest first, at most {@code size}. */
    public static Page newestFirst(Connection c, Filter filter, long before, int size) throws SQLException {
        List<AuditEntry> entries = query(c, filter, before > 0 ? " AND seq < ?" : "", before > 0 ? before : null,
                newestFirstOrder(filter), size + 1);
        Long next = null;
        if (entries.size() > size) {
            entries = entries.subList(0, size);
            next = entries.get(size - 1).seq();
        }
        return new Page(List.copyOf(entries), next);
    }

    /**
     * Newest first, on the descending index of the filtered column when there is one. The column fixed by the filter
     * leads the ORDER BY, which changes nothing in the result but lets H2 read the index in its order and stop after
     * the page, instead of reading every matching row and sorting them (see docs/benchmarks.md).
     */
    private static String newestFirstOrder(Filter f) {
        if (f.action() != null) {
            return " ORDER BY action, seq DESC";
        }
        if (f.actor() != null || f.agency() != null) {
            return " ORDER BY actor, seq DESC";
        }
        return " ORDER BY seq DESC";
    }

    /** Entries matching the filter with {@code seq > after}, oldest first, at most {@code size}: for exports. */
    public static List<AuditEntry> oldestFirst(Connection c, Filter filter, long after, int size) throws SQLException {
        return query(c, filter, " AND seq > ?", after, " ORDER BY seq", size);
    }

    public static Optional<AuditEntry> entry(Connection c, long seq) throws SQLException {
        List<AuditEntry> page = AuditRows.page(c, seq - 1, seq, 1);
        return page.isEmpty() ? Optional.empty() : Optional.of(page.get(0));
    }

    /** The newest entry of that action (e.g. the last verification), if any. */
    public static Optional<AuditEntry> last(Connection c, AuditAction action) throws SQLException {
        List<AuditEntry> found = query(c, new Filter(null, null, action.name(), null, null, null, null, null, null), "",
                null, " ORDER BY seq DESC", 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The action and outcome of one entry, chained or not yet. */
    public record Recorded(String action, String outcome) {
    }

    /**
     * The entries of these actions in the order of the trail: the chained ones by seq, then those committed but not
     * chained yet by id (the order the sequencer will most likely give them). For decisions that depend on what the
     * trail last said, such as an agency's suspension at start.
     */
    public static List<Recorded> inTrailOrder(Connection c, List<AuditAction> actions) throws SQLException {
        String in = String.join(", ", actions.stream().map(a -> "'" + a.name() + "'").toList());
        List<Recorded> found = new ArrayList<>();
        for (String query : List.of("SELECT action, outcome FROM audit_entry WHERE action IN (" + in + ") ORDER BY seq",
                "SELECT action, outcome FROM audit_pending WHERE action IN (" + in + ") ORDER BY id")) {
            try (PreparedStatement s = c.prepareStatement(query); ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.add(new Recorded(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return found;
    }

    /** The first signed checkpoint at or after the entry: it proves the entry unchanged. */
    public static Optional<Signed> coveringCheckpoint(Connection c, long seq, KeyResolver gatewayKeys) throws SQLException {
        List<AuditRows.Anchor> found = AuditRows.checkpoints(c, seq - 1, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(signed(found.get(0), AuditSignatures.CHECKPOINT, gatewayKeys));
    }

    public static Optional<Signed> lastCheckpoint(Connection c, KeyResolver gatewayKeys) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT seq, at, entry_hash, kid, signature FROM audit_checkpoint ORDER BY seq DESC LIMIT 1");
             ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.of(signed(new AuditRows.Anchor(rs.getLong(1),
                    AuditTime.normalize(rs.getObject(2, OffsetDateTime.class)), rs.getString(3), rs.getString(4),
                    rs.getString(5)), AuditSignatures.CHECKPOINT, gatewayKeys)) : Optional.empty();
        }
    }

    /** The signed head (the newest entry), empty when the row is missing. */
    public static Optional<Signed> head(Connection c, KeyResolver gatewayKeys) throws SQLException {
        AuditRows.Anchor head = AuditRows.head(c);
        return head == null ? Optional.empty() : Optional.of(signed(head, AuditSignatures.HEAD, gatewayKeys));
    }

    /** The canonical text of a time as hashed, e.g. {@code 2024-04-01T01:02:03.000456Z}. */
    public static String canonicalTime(OffsetDateTime time) {
        return AuditTime.canonical(time);
    }

    private static Signed signed(AuditRows.Anchor a, String type, KeyResolver keys) {
        String problem = a.seq() == 0 && a.signature() == null ? null
                : AuditSignatures.problem(keys, a, type);
        return new Signed(a.seq(), a.at(), a.entryHash(), a.kid(), problem);
    }

    private static List<AuditEntry> query(Connection c, Filter f, String seqCondition, Long seqValue, String order,
            int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + AuditRows.ENTRY_COLUMNS + " FROM audit_entry WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        // the chain never goes back in time (AuditChain), so a time range is a seq range, found on the index of at
        condition(sql, values, " AND seq >= ?", f.from() == null ? null : firstSeqAtOrAfter(c, f.from()));
        condition(sql, values, " AND seq < ?", f.to() == null ? null : firstSeqAtOrAfter(c, f.to()));
        condition(sql, values, " AND action = ?", f.action());
        condition(sql, values, " AND actor = ?", f.actor());
        condition(sql, values, " AND actor = ?", f.agency());
        condition(sql, values, " AND referral_id = ?", f.referralId());
        condition(sql, values, " AND message_id = ?", f.messageId());
        condition(sql, values, " AND code = ?", f.code());
        condition(sql, values, " AND subject_ref = ?", f.subjectRef());
        condition(sql, values, seqCondition, seqValue);
        sql.append(order).append(" LIMIT ?");
        values.add(limit);
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                s.setObject(i + 1, values.get(i));
            }
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(AuditRows.entry(rs));
                }
            }
            return entries;
        }
    }

    /** The seq of the first entry at or after the time; one past the last entry when there is none. */
    static long firstSeqAtOrAfter(Connection c, OffsetDateTime time) throws SQLException {
        // two steps, each on the index of at: the first time at or after, then the lowest seq of that time (the
        // entries appended together share their time)
        try (PreparedStatement s = c.prepareStatement("SELECT MIN(seq) FROM audit_entry WHERE at = "
                + "(SELECT at FROM audit_entry WHERE at >= ? ORDER BY at LIMIT 1)")) {
            s.setObject(1, time);
            try (ResultSet rs = s.executeQuery()) {
                long seq = rs.next() ? rs.getLong(1) : 0;
                if (seq > 0) {
                    return seq;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT last_seq FROM audit_head WHERE head_id = 1");
             ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getLong(1) + 1 : Long.MAX_VALUE;
        }
    }

    private static void condition(StringBuilder sql, List<Object> values, String condition, Object value) {
        if (value != null && !condition.isEmpty()) {
            sql.append(condition);
            values.add(value);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
