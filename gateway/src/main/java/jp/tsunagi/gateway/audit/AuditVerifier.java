package jp.tsunagi.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import jp.tsunagi.schema.signature.KeyResolver;

/**
 * Recomputes the whole audit chain and checks every signed checkpoint and the signed head against the gateway's
 * public keys; reports intact, or the first bad sequence number and why ({@link Tampering}).
 *
 * <p>It reads in pages by sequence number (keyset pagination), so memory stays flat whatever the size of the trail
 * and no driver-specific cursor setting is needed. A reader thread reads the next pages while the walk hashes and
 * checks: ten million entries in about 20 s on two cores (docs/benchmarks.md).
 *
 * <p>It reads the head <em>last</em>: the head is updated in the same transaction as every chained batch, so every
 * entry and checkpoint it has seen is covered by the head it then reads, and those chained meanwhile are read
 * afterwards. This works at READ COMMITTED on a live gateway. The signed head also counts the checkpoints and names
 * the last one, so deleted checkpoint rows are found too ({@link Tampering#DELETED_CHECKPOINT}).
 *
 * <p>Entries committed but not chained yet (docs/architecture.md D12) are reported, with the age of the oldest, not
 * checked: nothing signed covers them yet, so one deleted before it was chained leaves no trace in the chain.
 *
 * <p>What it proves: every entry up to the signed head is the one the gateway wrote, in its place. What it cannot
 * see alone: the whole trail replaced by an older copy of itself (head included); compare the head hash it prints
 * with one written down earlier (see docs/administrator-guide.md).
 */
public final class AuditVerifier {
    /**
     * Entries a query reads. The pages in flight (read ahead, being walked) stay small beside bin/tsunagi's 256 MB heap:
     * with 10,000, garbage collection took a third of the time of a ten-million-entry check (docs/benchmarks.md).
     */
    private static final int PAGE = 2_000;

    private final KeyResolver gatewayKeys;
    private final Clock clock;

    /** @param gatewayKeys the gateway's public keys only: an agency's key must not vouch for the trail */
    public AuditVerifier(KeyResolver gatewayKeys) {
        this(gatewayKeys, Clock.systemUTC());
    }

    /** @param clock what the age of the oldest unchained entry is measured against */
    public AuditVerifier(KeyResolver gatewayKeys, Clock clock) {
        this.gatewayKeys = Objects.requireNonNull(gatewayKeys);
        this.clock = Objects.requireNonNull(clock);
    }

    public VerificationResult verify(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return verify(c);
        }
    }

    public VerificationResult verify(Connection c) throws SQLException {
        return new Run(c).verify();
    }

    /** One verification: the walk's state. */
    private final class Run {
        private final Connection c;
        private final AuditEntry.ChainHash hash = new AuditEntry.ChainHash();
        /** The checkpoints read with the entries and not reached yet by the walk, in seq order. */
        private final Deque<AuditRows.Anchor> checkpoints = new ArrayDeque<>();
        /** The first checkpoint after the last entry walked, if any: read when the walk ended. */
        private List<AuditRows.Anchor> beyondTheEnd = List.of();
        private long expected = 1;
        private String prev = AuditEntry.GENESIS_HASH;
        private String prevPrev;
        private long entries;
        private long checkpointsChecked;
        private long lastCheckpointSeq;
        /** The last seq proven by a valid checkpoint that matches the chain (0: only the genesis). */
        private long lastAnchored;
        private Problem problem;

        Run(Connection c) {
            this.c = c;
        }

        VerificationResult verify() throws SQLException {
            walk(Long.MAX_VALUE);
            AuditRows.Anchor head = AuditRows.head(c);
            if (problem == null && head != null && head.seq() >= expected) {
                walk(head.seq()); // chained since the walk ended (their checkpoints too): the head we just read covers them
            }
            long headSeq = head == null ? -1 : head.seq();
            String headHash = head == null ? null : head.entryHash();
            if (problem == null) {
                problem = endProblem(head);
            }
            VerificationResult result = problem == null
                    ? VerificationResult.intact(entries, checkpointsChecked, headSeq, headHash)
                    : VerificationResult.tampered(entries, checkpointsChecked, headSeq, headHash, problem.seq,
                            problem.kind, problem.detail);
            return result.withBacklog(AuditChain.backlog(c, clock));
        }

        /**
         * Checks the entries after the last one checked, up to {@code upTo}, as a reader thread reads them; then reads
         * the first checkpoint beyond the last entry, for {@link #endProblem}. The first walk reads it before the head:
         * a batch chained after the head was read cannot show up as a checkpoint beyond the end.
         */
        private void walk(long upTo) throws SQLException {
            try (ReadAhead reader = new ReadAhead(c, expected - 1, upTo)) {
                while (problem == null) {
                    Page page = reader.next();
                    checkpoints.addAll(page.checkpoints());
                    for (AuditEntry entry : page.entries()) {
                        check(entry);
                        if (problem != null) {
                            return;
                        }
                    }
                    if (page.entries().size() < PAGE) {
                        break;
                    }
                }
            }
            beyondTheEnd = AuditRows.checkpoints(c, expected - 1, 1);
        }

        private void check(AuditEntry e) throws SQLException {
            long s = e.seq();
            if (s != expected) {
                fail(expected, Tampering.DELETED, "seq " + expected + (s == expected + 1 ? " is" : " to " + (s - 1) + " are")
                        + " missing: " + (expected == 1 ? "the chain starts at seq " + s
                                : "the entry before is seq " + (expected - 1) + ", the next one seq " + s));
                return;
            }
            if (!prev.equals(e.prevHash())) {
                if (prevPrev != null && prevPrev.equals(e.prevHash())) {
                    fail(s - 1, Tampering.INSERTED, "seq " + (s - 1) + " is not part of the chain: seq " + s
                            + " links to seq " + (s - 2) + " (entries after it were renumbered to make room)");
                } else {
                    fail(s, Tampering.REORDERED, "its prev_hash is not the entry hash of seq " + (s - 1)
                            + ": it was moved or swapped, an entry before it was deleted or inserted and the rest "
                            + "renumbered, or seq " + (s - 1) + " was changed and its hash recomputed");
                }
                return;
            }
            if (!hash.matches(e)) {
                fail(s, Tampering.CHANGED, "its content does not match its entry_hash: a field of seq " + s + " was changed");
                return;
            }
            checkCheckpointsUpTo(e);
            if (problem != null) {
                return;
            }
            prevPrev = prev;
            prev = e.entryHash();
            expected = s + 1;
            entries++;
        }

        /**
         * The checkpoints at or before this entry (each names an entry the walk has reached). They came with the page
         * of entries they are among, so every checkpoint up to the last entry of the page is there.
         */
        private void checkCheckpointsUpTo(AuditEntry e) {
            for (AuditRows.Anchor cp = checkpoints.peekFirst(); cp != null && cp.seq() <= e.seq(); cp = checkpoints.peekFirst()) {
                checkpoints.removeFirst();
                String signatureProblem = AuditSignatures.problem(gatewayKeys, cp.signature(), AuditSignatures.CHECKPOINT,
                        cp.seq(), cp.entryHash(), cp.at());
                if (signatureProblem != null) {
                    fail(cp.seq(), missing(cp.signature()), "the checkpoint at seq " + cp.seq()
                            + " is not signed by the gateway (" + signatureProblem + ")");
                    return;
                }
                if (cp.seq() < e.seq()) { // cannot happen while the seq check holds; kept for safety
                    fail(cp.seq(), Tampering.DELETED, "the signed checkpoint names seq " + cp.seq() + ", which is missing");
                    return;
                }
                if (!cp.entryHash().equals(e.entryHash())) {
                    fail(lastAnchored + 1, Tampering.REWRITTEN, "the chain's hash at seq " + e.seq() + " is not the one "
                            + "the gateway signed in its checkpoint: entries from seq " + (lastAnchored + 1) + " to "
                            + e.seq() + " were changed and their hashes recomputed (the chain up to seq " + lastAnchored
                            + " matches its signed checkpoints)");
                    return;
                }
                lastAnchored = cp.seq();
                lastCheckpointSeq = cp.seq();
                checkpointsChecked++;
            }
        }

        /** After the walk: the head and the checkpoints beyond the last entry; the problem with the lowest seq. */
        private Problem endProblem(AuditRows.Anchor head) throws SQLException {
            long last = expected - 1;
            List<Problem> found = new ArrayList<>();
            // the first checkpoint beyond the end says enough (every one up to the last entry came with its page)
            for (AuditRows.Anchor cp : beyondTheEnd) {
                String signatureProblem = AuditSignatures.problem(gatewayKeys, cp.signature(), AuditSignatures.CHECKPOINT,
                        cp.seq(), cp.entryHash(), cp.at());
                found.add(signatureProblem != null
                        ? new Problem(cp.seq(), missing(cp.signature()), "the checkpoint at seq " + cp.seq()
                                + " is not signed by the gateway (" + signatureProblem + ")")
                        : new Problem(last + 1, Tampering.TRUNCATED, "the gateway's signed checkpoint names seq "
                                + cp.seq() + " but the chain ends at seq " + last + ": entries from seq " + (last + 1)
                                + " on were deleted"));
            }
            if (head == null) {
                found.add(new Problem(Math.max(last, 1), Tampering.MISSING_SIGNATURE,
                        "the signed head (table audit_head) is missing, so the end of the chain cannot be proven"));
                return lowest(found);
            }
            boolean genesis = head.seq() == 0 && head.signature() == null && AuditEntry.GENESIS_HASH.equals(head.entryHash());
            if (genesis && last == 0) {
                return lowest(found);
            }
            String signatureProblem = AuditSignatures.problem(gatewayKeys, head, AuditSignatures.HEAD);
            if (signatureProblem != null) {
                found.add(new Problem(Math.max(head.seq(), 1), missing(head.signature()), "the head (table audit_head, "
                        + "naming seq " + head.seq() + ") is not signed by the gateway (" + signatureProblem + ")"));
                return lowest(found);
            }
            if (head.seq() > last) {
                found.add(new Problem(last + 1, Tampering.TRUNCATED, "the gateway's signed head names seq " + head.seq()
                        + " but the chain ends at seq " + last + ": entries from seq " + (last + 1) + " on were deleted"));
            } else if (head.seq() < last) {
                found.add(new Problem(head.seq() + 1, Tampering.INSERTED, "the gateway's signed head names seq "
                        + head.seq() + " but the chain goes on to seq " + last + ": entries from seq " + (head.seq() + 1)
                        + " on were added without the gateway"));
            } else if (!head.entryHash().equals(prev)) {
                found.add(new Problem(lastAnchored + 1, Tampering.REWRITTEN, "the chain's hash at seq " + last
                        + " is not the one the gateway signed in its head: entries from seq " + (lastAnchored + 1)
                        + " to " + last + " were changed and their hashes recomputed"));
            }
            if (head.seq() < last && head.seq() > 0 && !head.entryHash().equals(storedHash(head.seq()))) {
                found.add(new Problem(lastAnchored + 1, Tampering.REWRITTEN, "the chain's hash at seq " + head.seq()
                        + " is not the one the gateway signed in its head"));
            }
            if (found.isEmpty() && head.checkpoints() != null) {
                checkCheckpointsCounted(head.checkpoints(), found);
            }
            return lowest(found);
        }

        /** The checkpoints the signed head counts and names must all be there (every one walked was checked). */
        private void checkCheckpointsCounted(AuditRows.Checkpoints signed, List<Problem> found) {
            if (signed.lastSeq() > 0 && lastCheckpointSeq != signed.lastSeq()) {
                found.add(new Problem(signed.lastSeq(), Tampering.DELETED_CHECKPOINT, "the gateway's signed head names "
                        + "its last checkpoint at seq " + signed.lastSeq() + ", which is missing (the last one found is "
                        + (lastCheckpointSeq == 0 ? "none" : "at seq " + lastCheckpointSeq) + ")"));
            } else if (signed.count() != checkpointsChecked) {
                found.add(new Problem(1, Tampering.DELETED_CHECKPOINT, "the gateway's signed head counts "
                        + signed.count() + " checkpoints up to seq " + signed.lastSeq() + " but " + checkpointsChecked
                        + " are there: checkpoint rows were deleted (the entries themselves link and hash correctly)"));
            }
        }

        private String storedHash(long seq) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("SELECT entry_hash FROM audit_entry WHERE seq = ?")) {
                s.setLong(1, seq);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }

        private void fail(long seq, Tampering kind, String detail) {
            problem = new Problem(seq, kind, detail);
        }
    }

    private static Tampering missing(String signature) {
        return signature == null || signature.isBlank() ? Tampering.MISSING_SIGNATURE : Tampering.FORGED_SIGNATURE;
    }

    private static Problem lowest(List<Problem> found) {
        return found.stream().min(Comparator.comparingLong(Problem::seq)).orElse(null);
    }

    private record Problem(long seq, Tampering kind, String detail) {
    }

    /** Entries in seq order, and the checkpoints among them (after the previous page's last entry, up to this one's). */
    private record Page(List<AuditEntry> entries, List<AuditRows.Anchor> checkpoints) {
    }

    /**
     * Reads the pages of a walk on a thread of its own, a few pages ahead of the walk: reading and hashing (with the
     * checkpoints' signatures) each keep a core busy. It alone uses the connection until it is closed; closing it
     * stops the reading and waits for the thread.
     */
    private final class ReadAhead implements AutoCloseable {
        private static final int AHEAD = 2;
        private final BlockingQueue<Object> pages = new ArrayBlockingQueue<>(AHEAD);
        private final Thread thread;
        private volatile boolean stopped;

        ReadAhead(Connection c, long after, long upTo) {
            thread = new Thread(() -> read(c, after, upTo), "tsunagi-audit-verify-reader");
            thread.setDaemon(true);
            thread.start();
        }

        private void read(Connection c, long after, long upTo) {
            try {
                for (long from = after; !stopped; ) {
                    List<AuditEntry> entries = AuditRows.page(c, from, upTo, PAGE);
                    List<AuditRows.Anchor> checkpoints = List.of();
                    if (!entries.isEmpty()) {
                        long last = entries.get(entries.size() - 1).seq();
                        // at most one checkpoint an entry: with more, entries are missing and the walk stops before them
                        checkpoints = AuditRows.checkpoints(c, from, last, PAGE);
                        from = last;
                    }
                    hand(new Page(entries, checkpoints));
                    if (entries.size() < PAGE) {
                        return;
                    }
                }
            } catch (Throwable e) {
                hand(e); // the walk throws it
            }
        }

        private void hand(Object pageOrFailure) {
            try {
                while (!stopped && !pages.offer(pageOrFailure, 100, TimeUnit.MILLISECONDS)) {
                    // the walk is busy with the pages before
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Page next() throws SQLException {
            Object next;
            try {
                next = pages.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while verifying the audit trail", e);
            }
            if (next instanceof SQLException e) {
                throw e;
            } else if (next instanceof RuntimeException e) {
                throw e;
            } else if (next instanceof Error e) {
                throw e;
            } else if (next instanceof Throwable e) {
                throw new IllegalStateException(e);
            }
            return (Page) next;
        }

        @Override
        public void close() {
            stopped = true;
            pages.clear();
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join(); // the connection is the walk's again once the thread has ended
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
