package jp.tsunagi.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * Grows an audit trail to N entries as the sequencer leaves it (chained entries with their entry ids, a signed
 * checkpoint where {@link CheckpointPolicy} says, the head signed over the checkpoints), but fast: the entries are
 * chained here with the gateway's own code ({@link AuditEntry#next}, {@link AuditSignatures}) and inserted in JDBC
 * batches of 10,000, without passing through {@code audit_pending}: for benchmarks (bench/run audit), which build ten
 * million entries this way in minutes. Entries are {@link AuditFixtures#event}, 100 µs apart.
 */
public final class TrailBuilder {
    private static final int BATCH = 10_000;
    private static final Duration APART = Duration.ofNanos(100_000);
    private static final OffsetDateTime START = AuditTime.of(Instant.parse("2026-01-01T00:00:00Z"));

    private TrailBuilder() {
    }

    /** The number of entries in the chain now (the signed head's seq). */
    public static long size(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return AuditRows.head(c).seq();
        }
    }

    /**
     * Appends chained entries after the head until the chain has {@code size}, committing (head re-signed) every
     * 10,000, so an interrupted build leaves an intact trail to grow later. Returns the size reached.
     */
    public static long grow(DataSource dataSource, SigningKey key, CheckpointPolicy policy, long size) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Head head = head(c);
            AuditEntry.ChainHash hash = new AuditEntry.ChainHash();
            while (head.seq < size) {
                List<AuditEntry> batch = new ArrayList<>(BATCH);
                List<AuditRows.Pending> ids = new ArrayList<>(BATCH);
                List<AuditRows.Anchor> checkpoints = new ArrayList<>();
                for (int i = 0; i < BATCH && head.seq < size; i++) {
                    long seq = head.seq + 1;
                    OffsetDateTime at = head.at == null ? START : head.at.plus(APART);
                    AuditEntry e = AuditEntry.next(seq, at, head.hash, AuditFixtures.event((int) seq), hash);
                    if (policy.due(seq, head.checkpointSeq, head.checkpointAt, e.at())) {
                        checkpoints.add(new AuditRows.Anchor(seq, e.at(), e.entryHash(), key.kid(),
                                AuditSignatures.sign(key, AuditSignatures.CHECKPOINT, seq, e.entryHash(), e.at())));
                        head.checkpointSeq = seq;
                        head.checkpointAt = e.at();
                        head.checkpointCount++;
                    }
                    batch.add(e);
                    ids.add(new AuditRows.Pending(seq, null, null, null, null, null, null, null, null, null, null));
                    head.seq = seq;
                    head.hash = e.entryHash();
                    head.at = e.at();
                }
                AuditRows.insertChained(c, batch, ids);
                for (AuditRows.Anchor checkpoint : checkpoints) {
                    AuditRows.insertCheckpoint(c, checkpoint);
                }
                writeHead(c, key, head);
                c.commit();
                if (head.seq % 1_000_000 == 0) {
                    System.out.printf("  built %,d%n", head.seq);
                }
            }
            return head.seq;
        }
    }

    /** The head's state as the sequencer keeps it. */
    private static final class Head {
        long seq;
        String hash;
        OffsetDateTime at;
        long checkpointSeq;
        OffsetDateTime checkpointAt;
        long checkpointCount;
    }

    private static Head head(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT last_seq, last_hash, at, checkpoint_seq, checkpoint_at, "
                + "checkpoint_count FROM audit_head WHERE head_id = 1");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw AuditRows.headMissing();
            }
            Head head = new Head();
            head.seq = rs.getLong(1);
            head.hash = rs.getString(2);
            head.at = AuditTime.normalize(rs.getObject(3, OffsetDateTime.class));
            head.checkpointSeq = rs.getLong(4);
            head.checkpointAt = AuditTime.normalize(rs.getObject(5, OffsetDateTime.class));
            head.checkpointCount = rs.getLong(6);
            return head;
        }
    }

    private static void writeHead(Connection c, SigningKey key, Head head) throws SQLException {
        AuditRows.Checkpoints checkpoints = new AuditRows.Checkpoints(head.checkpointCount, head.checkpointSeq);
        try (PreparedStatement s = c.prepareStatement("UPDATE audit_head SET last_seq = ?, last_hash = ?, at = ?, kid = ?, "
                + "signature = ?, checkpoint_seq = ?, checkpoint_at = ?, checkpoint_count = ? WHERE head_id = 1")) {
            s.setLong(1, head.seq);
            s.setString(2, head.hash);
            s.setObject(3, head.at);
            s.setString(4, key.kid());
            s.setString(5, AuditSignatures.signHead(key, head.seq, head.hash, head.at, checkpoints));
            s.setLong(6, head.checkpointSeq);
            s.setObject(7, head.checkpointAt);
            s.setLong(8, head.checkpointCount);
            s.executeUpdate();
        }
    }
}
