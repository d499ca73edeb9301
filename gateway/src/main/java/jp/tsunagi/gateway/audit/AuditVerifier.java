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
import javax.sql.DataSource;
import jp.tsunagi.schema.signature.KeyResolver;

/**
 * Recomputes the whole audit chain and checks every signed checkpoint and the signed head against the gateway's
 * public keys; reports intact, or the first bad sequence number and why ({@link Tampering}).
 *
 * <p>It reads in pages by sequence number (keyset pagination), so memory stays flat whatever the size of the trail
 * and no driver-specific cursor setting is needed; a million entries take seconds. It reads the head <em>last</em>:
 * the head is updated in the same transaction as every chained batch, so every entry and checkpoint it has seen is
 * covered by the head it then reads, and those chained meanwhile are read afterwards. This works at READ COMMITTED
 * on a live gateway. The signed head also counts the checkpoints and names the last one, so deleted checkpoint rows
 * are found too ({@link Tampering#DELETED_CHECKPOINT}).
 *
 * <p>Entries committed but not chained yet (docs/architecture.md D12) are reported, with the age of the oldest, not
 * checked: nothing signed covers them yet, so one deleted before it was chained leaves no trace in the chain.
 *
 * <p>What it proves: every entry up to the signed head is the one the gateway wrote, in its place. What it cannot
 * see alone: the whole trail replaced by an older copy of itself (head included); compare the head hash it prints
 * with one written down earlier (see docs/administrator-guide.md).
 */
public final class AuditVerifier {
    private static final int PAGE = 10_000;

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
        private final Deque<AuditRows.Anchor> checkpoints = new ArrayDeque<>();
        private long checkpointsLoadedAfter;
        private boolean checkpointsExhausted;
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
                checkpointsExhausted = false; // checkpoints too may have been written since
                walk(head.seq()); // chained since the walk ended: the head we just read covers them
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

        private void walk(long upTo) throws SQLException {
            while (problem == null) {
                List<AuditEntry> page = AuditRows.page(c, expected - 1, upTo, PAGE);
                for (AuditEntry entry : page) {
                    check(entry);
                    if (problem != null) {
                        return;
                    }
                }
                if (page.size() < PAGE) {
                    return;
                }
            }
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
            String computed = hash.of(e.prevHash(), e.canonical());
            if (!computed.equals(e.entryHash())) {
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

        /** The checkpoints at or before this entry (each names an entry the walk has reached). */
        private void checkCheckpointsUpTo(AuditEntry e) throws SQLException {
            for (AuditRows.Anchor cp = nextCheckpoint(); cp != null && cp.seq() <= e.seq(); cp = nextCheckpoint()) {
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

        private AuditRows.Anchor nextCheckpoint() throws SQLException {
            if (checkpoints.isEmpty() && !checkpointsExhausted) {
                List<AuditRows.Anchor> page = AuditRows.checkpoints(c, checkpointsLoadedAfter, PAGE);
                checkpoints.addAll(page);
                if (page.isEmpty()) {
                    checkpointsExhausted = true;
                } else {
                    checkpointsLoadedAfter = page.get(page.size() - 1).seq();
                }
            }
            return checkpoints.peekFirst();
        }

        /** After the walk: the head and the checkpoints beyond the last entry; the problem with the lowest seq. */
        private Problem endProblem(AuditRows.Anchor head) throws SQLException {
            long last = expected - 1;
            List<Problem> found = new ArrayList<>();
            for (AuditRows.Anchor cp = nextCheckpoint(); cp != null; cp = nextCheckpoint()) {
                checkpoints.removeFirst();
                String signatureProblem = AuditSignatures.problem(gatewayKeys, cp.signature(), AuditSignatures.CHECKPOINT,
                        cp.seq(), cp.entryHash(), cp.at());
                found.add(signatureProblem != null
                        ? new Problem(cp.seq(), missing(cp.signature()), "the checkpoint at seq " + cp.seq()
                                + " is not signed by the gateway (" + signatureProblem + ")")
                        : new Problem(last + 1, Tampering.TRUNCATED, "the gateway's signed checkpoint names seq "
                                + cp.seq() + " but the chain ends at seq " + last + ": entries from seq " + (last + 1)
                                + " on were deleted"));
                break; // the first one beyond the end says enough
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
}
