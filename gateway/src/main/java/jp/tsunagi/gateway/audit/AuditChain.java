package jp.tsunagi.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * The audit trail (監査ログ) as a hash chain: each entry's hash covers the previous entry's hash and its own
 * canonical content (see {@link AuditEntry}); the gateway signs the head (the last entry) on every append and writes
 * a signed checkpoint every N entries or T seconds ({@link CheckpointPolicy}). {@link AuditVerifier} checks it all.
 *
 * <p>An append takes part in the <em>caller's</em> transaction: the gateway writes message, outbox rows and audit
 * entries in one transaction before it answers 202, so an entry exists exactly when what it records does. Appends are
 * serialized by a row lock on {@code audit_head} ({@code SELECT ... FOR UPDATE}, H2 and PostgreSQL), held until the
 * caller commits: append last, just before the commit, to keep that short. Use the READ COMMITTED isolation level
 * (the default of both databases); under REPEATABLE READ PostgreSQL would refuse concurrent appends.
 *
 * <p>Fails closed: when the head row is missing, or anything cannot be written or signed, the append throws and the
 * caller's transaction must roll back (and the gateway accept nothing).
 */
public final class AuditChain {
    private final SigningKey gatewayKey;
    private final CheckpointPolicy checkpoints;
    private final Clock clock;

    public AuditChain(SigningKey gatewayKey, CheckpointPolicy checkpoints, Clock clock) {
        this.gatewayKey = Objects.requireNonNull(gatewayKey, "the audit chain is signed by the gateway key");
        this.checkpoints = Objects.requireNonNull(checkpoints);
        this.clock = Objects.requireNonNull(clock);
    }

    public AuditChain(SigningKey gatewayKey) {
        this(gatewayKey, CheckpointPolicy.DEFAULT, Clock.systemUTC());
    }

    /**
     * Appends one entry in the connection's current transaction (the caller commits or rolls back). On a connection
     * in auto-commit mode the append runs in a transaction of its own, committed before it returns.
     */
    public AuditEntry append(Connection c, AuditEvent event) throws SQLException {
        return appendAll(c, List.of(event)).get(0);
    }

    /** Several entries in order, as {@link #append}, with one head signature for all of them. */
    public List<AuditEntry> appendAll(Connection c, List<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        boolean ownTransaction = c.getAutoCommit();
        if (ownTransaction) {
            c.setAutoCommit(false);
        }
        try {
            List<AuditEntry> appended = appendLocked(c, events);
            if (ownTransaction) {
                c.commit();
            }
            return appended;
        } catch (SQLException | RuntimeException e) {
            if (ownTransaction) {
                c.rollback();
            }
            throw e;
        } finally {
            if (ownTransaction) {
                c.setAutoCommit(true);
            }
        }
    }

    /** {@link #append} on a connection of its own, committed: for administrators' commands (export, disclose). */
    public AuditEntry appendCommitted(DataSource dataSource, AuditEvent event) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return append(c, event);
        }
    }

    private List<AuditEntry> appendLocked(Connection c, List<AuditEvent> events) throws SQLException {
        Head head = lockHead(c);
        AuditEntry.ChainHash hash = new AuditEntry.ChainHash();
        long checkpointSeq = head.checkpointSeq;
        OffsetDateTime checkpointAt = head.checkpointAt;
        String prevHash = head.lastHash;
        // never earlier than the previous entry, even if the clock steps back: time order = seq order for exports
        OffsetDateTime at = AuditTime.of(clock.instant());
        if (head.at != null && at.isBefore(head.at)) {
            at = head.at;
        }
        List<AuditEntry> appended = new ArrayList<>(events.size());
        long seq = head.lastSeq;
        for (AuditEvent event : events) {
            seq++;
            AuditEntry entry = AuditEntry.next(seq, at, prevHash, Objects.requireNonNull(event, "event"), hash);
            AuditRows.insert(c, entry);
            if (checkpoints.due(seq, checkpointSeq, checkpointAt, at)) {
                String signature = AuditSignatures.sign(gatewayKey, AuditSignatures.CHECKPOINT, seq, entry.entryHash(), at);
                AuditRows.insertCheckpoint(c, new AuditRows.Anchor(seq, at, entry.entryHash(), gatewayKey.kid(), signature));
                checkpointSeq = seq;
                checkpointAt = at;
            }
            appended.add(entry);
            prevHash = entry.entryHash();
        }
        String headSignature = AuditSignatures.sign(gatewayKey, AuditSignatures.HEAD, seq, prevHash, at);
        try (PreparedStatement s = c.prepareStatement("UPDATE audit_head SET last_seq = ?, last_hash = ?, at = ?, kid = ?, "
                + "signature = ?, checkpoint_seq = ?, checkpoint_at = ? WHERE head_id = 1 AND last_seq = ?")) {
            s.setLong(1, seq);
            s.setString(2, prevHash);
            s.setObject(3, at);
            s.setString(4, gatewayKey.kid());
            s.setString(5, headSignature);
            s.setLong(6, checkpointSeq);
            s.setObject(7, checkpointAt);
            s.setLong(8, head.lastSeq);
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("the audit head changed under its lock");
            }
        }
        return appended;
    }

    private record Head(long lastSeq, String lastHash, OffsetDateTime at, long checkpointSeq, OffsetDateTime checkpointAt) {
    }

    private static Head lockHead(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT last_seq, last_hash, at, checkpoint_seq, checkpoint_at "
                + "FROM audit_head WHERE head_id = 1 FOR UPDATE");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("the audit head row is missing: the audit trail was tampered with "
                        + "(run 'tsunagi audit verify'); nothing can be recorded, so nothing is accepted");
            }
            return new Head(rs.getLong(1), rs.getString(2), AuditTime.normalize(rs.getObject(3, OffsetDateTime.class)),
                    rs.getLong(4), AuditTime.normalize(rs.getObject(5, OffsetDateTime.class)));
        }
    }
}
