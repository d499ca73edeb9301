package jp.tsunagi.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * The audit trail (監査ログ) as a hash chain: each entry's hash covers the previous entry's hash and its own
 * canonical content (see {@link AuditEntry}); the gateway signs the head (the last entry) once per batch and writes a
 * signed checkpoint every N entries or T seconds ({@link CheckpointPolicy}). {@link AuditVerifier} checks it all.
 *
 * <p>Two steps (docs/architecture.md D12). {@link #append} takes part in the <em>caller's</em> transaction: the
 * gateway writes message, outbox rows and audit entries in one transaction before it answers 202, so an entry exists
 * exactly when what it records does. It is one INSERT into {@code audit_pending}: no lock, no signature. Then
 * {@link #chainBatch}, run by one {@link AuditSequencer} across the nodes, links the committed entries into the chain
 * in the order it sees them committed, and signs the head once for the batch, within the bounded delay
 * ({@code tsunagi.audit.chain-delay}). Chaining takes the {@code audit_head} row lock, which only chaining takes:
 * two chainers at once (a takeover, a command line tool) wait for each other and never chain an entry twice.
 *
 * <p>Fails closed: when the head row is missing, an append throws and the caller's transaction must roll back (and
 * the gateway accept nothing); when anything cannot be chained or signed, the entries stay pending (nothing is lost)
 * and the backlog shows in health, metrics and {@code audit verify}.
 */
public final class AuditChain {
    /** Entries one batch chains at most: one transaction, one head signature. */
    public static final int BATCH = 1000;

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
     * An entry written and not chained yet.
     *
     * @param id its stable number from now on, never reused (the receipt's {@code auditSeq}); the chained entry
     *           carries it as {@code audit_entry.entry_id}, its place in the chain ({@code seq}) follows within the delay
     * @param at when it was written
     */
    public record Appended(long id, OffsetDateTime at) {
    }

    /**
     * Appends one entry in the connection's current transaction (the caller commits or rolls back). On a connection
     * in auto-commit mode the append runs in a transaction of its own, committed before it returns.
     */
    public Appended append(Connection c, AuditEvent event) throws SQLException {
        return appendAll(c, List.of(event)).get(0);
    }

    /** Several entries in order, as {@link #append}. */
    public List<Appended> appendAll(Connection c, List<AuditEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        events.forEach(e -> Objects.requireNonNull(e, "event"));
        OffsetDateTime at = AuditTime.of(clock.instant());
        boolean ownTransaction = events.size() > 1 && c.getAutoCommit();
        if (ownTransaction) {
            c.setAutoCommit(false);
        }
        try {
            long[] ids = AuditRows.insertPending(c, at, events);
            if (ownTransaction) {
                c.commit();
            }
            List<Appended> appended = new ArrayList<>(ids.length);
            for (long id : ids) {
                appended.add(new Appended(id, at));
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

    /**
     * {@link #append} on a connection of its own, committed, then chained at once: for administrators' commands
     * (export, disclose, console reads), which may run where no sequencer runs (a command line tool).
     */
    public Appended appendCommitted(DataSource dataSource, AuditEvent event) throws SQLException {
        Appended appended;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            appended = append(c, event);
        }
        chainCommitted(dataSource);
        return appended;
    }

    /**
     * Chains every entry committed before the call (in batches) and returns how many this call chained; entries
     * another chainer took meanwhile are not counted. Safe beside a running {@link AuditSequencer}.
     */
    public long chainCommitted(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            long mark = AuditRows.lastPendingId(c);
            long chained = 0;
            while (mark > 0 && AuditRows.pendingUpTo(c, mark)) {
                chained += chainBatch(c).size();
            }
            return chained;
        }
    }

    /**
     * One batch: the committed pending entries with the lowest ids (at most {@link #BATCH}) linked after the head,
     * checkpoints where due, the head signed once, in one transaction of its own. An entry whose transaction commits
     * after a higher id was chained is simply in a later batch: chain order is the order entries are seen committed,
     * and none is skipped. Each entry's {@code at} is raised to its predecessor's when it is earlier (a transaction
     * that began earlier and committed later), so that time order is chain order.
     *
     * @return the entries chained, in order (empty: nothing was pending)
     */
    public List<AuditEntry> chainBatch(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            List<AuditEntry> chained = chainLocked(c);
            c.commit();
            return chained;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private List<AuditEntry> chainLocked(Connection c) throws SQLException {
        Head head = lockHead(c);
        List<AuditRows.Pending> pending = AuditRows.pending(c, BATCH);
        if (pending.isEmpty()) {
            return List.of();
        }
        long checkpointCount = head.checkpointCount != null ? head.checkpointCount : AuditRows.count(c, "audit_checkpoint");
        long checkpointSeq = head.checkpointSeq;
        OffsetDateTime checkpointAt = head.checkpointAt;
        AuditEntry.ChainHash hash = new AuditEntry.ChainHash();
        String prevHash = head.lastHash;
        OffsetDateTime at = head.at;
        long seq = head.lastSeq;
        List<AuditEntry> chained = new ArrayList<>(pending.size());
        List<AuditRows.Anchor> newCheckpoints = new ArrayList<>();
        for (AuditRows.Pending p : pending) {
            seq++;
            at = at == null || p.at().isAfter(at) ? p.at() : at;
            AuditEntry unhashed = new AuditEntry(seq, at, p.actor(), p.action(), p.messageId(), p.referralId(),
                    p.subjectRef(), p.dataCategories(), p.basis(), p.outcome(), p.code(), prevHash, null);
            AuditEntry entry = unhashed.withEntryHash(hash.of(prevHash, unhashed.canonical()));
            if (checkpoints.due(seq, checkpointSeq, checkpointAt, at)) {
                String signature = AuditSignatures.sign(gatewayKey, AuditSignatures.CHECKPOINT, seq, entry.entryHash(), at);
                newCheckpoints.add(new AuditRows.Anchor(seq, at, entry.entryHash(), gatewayKey.kid(), signature));
                checkpointSeq = seq;
                checkpointAt = at;
                checkpointCount++;
            }
            chained.add(entry);
            prevHash = entry.entryHash();
        }
        AuditRows.insertChained(c, chained, pending);
        for (AuditRows.Anchor checkpoint : newCheckpoints) {
            AuditRows.insertCheckpoint(c, checkpoint);
        }
        AuditRows.deletePending(c, pending);
        AuditRows.Checkpoints committed = new AuditRows.Checkpoints(checkpointCount, checkpointSeq);
        String headSignature = AuditSignatures.signHead(gatewayKey, seq, prevHash, at, committed);
        try (PreparedStatement s = c.prepareStatement("UPDATE audit_head SET last_seq = ?, last_hash = ?, at = ?, kid = ?, "
                + "signature = ?, checkpoint_seq = ?, checkpoint_at = ?, checkpoint_count = ? WHERE head_id = 1 AND last_seq = ?")) {
            s.setLong(1, seq);
            s.setString(2, prevHash);
            s.setObject(3, at);
            s.setString(4, gatewayKey.kid());
            s.setString(5, headSignature);
            s.setLong(6, checkpointSeq);
            s.setObject(7, checkpointAt);
            s.setLong(8, checkpointCount);
            s.setLong(9, head.lastSeq);
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("the audit head changed under its lock");
            }
        }
        return chained;
    }

    /**
     * What waits to be chained: the number of committed entries not in the chain yet, and the age of the oldest one
     * (zero when there is none).
     */
    public record Backlog(long entries, Duration oldest) {
        public static final Backlog NONE = new Backlog(0, Duration.ZERO);

        /** Whether the oldest entry has waited longer than the bound (the chain delay and a margin). */
        public boolean overdue(Duration bound) {
            return oldest.compareTo(bound) > 0;
        }
    }

    /** The backlog now, by the database's rows and the given clock. */
    public static Backlog backlog(Connection c, Clock clock) throws SQLException {
        AuditRows.Unchained u = AuditRows.unchained(c);
        if (u.count() == 0 || u.oldest() == null) {
            return Backlog.NONE;
        }
        Duration age = Duration.between(u.oldest().toInstant(), clock.instant());
        return new Backlog(u.count(), age.isNegative() ? Duration.ZERO : age);
    }

    /** How long an entry may wait beyond the chain delay before it is reported as overdue: a busy or paused machine. */
    public static Duration overdueAfter(Duration chainDelay) {
        return chainDelay.multipliedBy(2).plus(Duration.ofSeconds(5));
    }

    private record Head(long lastSeq, String lastHash, OffsetDateTime at, long checkpointSeq, OffsetDateTime checkpointAt,
            Long checkpointCount) {
    }

    private static Head lockHead(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT last_seq, last_hash, at, checkpoint_seq, checkpoint_at, "
                + "checkpoint_count FROM audit_head WHERE head_id = 1 FOR UPDATE");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw AuditRows.headMissing();
            }
            long count = rs.getLong(6);
            Long checkpointCount = rs.wasNull() ? null : count;
            return new Head(rs.getLong(1), rs.getString(2), AuditTime.normalize(rs.getObject(3, OffsetDateTime.class)),
                    rs.getLong(4), AuditTime.normalize(rs.getObject(5, OffsetDateTime.class)), checkpointCount);
        }
    }
}
