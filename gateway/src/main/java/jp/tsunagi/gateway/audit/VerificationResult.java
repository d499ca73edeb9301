package jp.tsunagi.gateway.audit;

import java.time.Duration;

/**
 * What {@link AuditVerifier} found: intact, or the first bad sequence number and why. Holds no personal data (only
 * sequence numbers, hashes and counts), so it can be printed and logged.
 *
 * @param entries     entries checked before the verdict (all of them when intact)
 * @param checkpoints signed checkpoints checked
 * @param headSeq     the seq the signed head names (-1 when the head row is missing)
 * @param headHash    the hash the signed head names: write it down to detect a later rollback of the whole trail
 * @param unchained   entries committed but not linked into the chain yet (docs/architecture.md D12): not checked,
 *                    since nothing signed covers them yet
 * @param oldestUnchained how long the oldest of them has waited (zero when there is none)
 */
public record VerificationResult(boolean intact, long entries, long checkpoints, long headSeq, String headHash,
        long firstBadSeq, Tampering tampering, String detail, long unchained, Duration oldestUnchained) {

    static VerificationResult intact(long entries, long checkpoints, long headSeq, String headHash) {
        return new VerificationResult(true, entries, checkpoints, headSeq, headHash, -1, null, null, 0, Duration.ZERO);
    }

    static VerificationResult tampered(long entries, long checkpoints, long headSeq, String headHash, long firstBadSeq,
            Tampering tampering, String detail) {
        return new VerificationResult(false, entries, checkpoints, headSeq, headHash, firstBadSeq, tampering, detail, 0,
                Duration.ZERO);
    }

    VerificationResult withBacklog(AuditChain.Backlog backlog) {
        return new VerificationResult(intact, entries, checkpoints, headSeq, headHash, firstBadSeq, tampering, detail,
                backlog.entries(), backlog.oldest());
    }

    /** One line: {@code intact: N entries, M checkpoints} or {@code tampered at seq S (kind): detail}. */
    public String summary() {
        return intact
                ? "intact: " + entries + " entries, " + checkpoints + " checkpoints"
                : "tampered at seq " + firstBadSeq + " (" + tampering.words() + "): " + detail;
    }

    /**
     * One line on what is not chained yet, e.g. {@code unchained: 3 entries, the oldest 0.4 s old}; with
     * {@code overdue} when the oldest has waited longer than {@code bound} (the sequencer is not running, or
     * cannot chain: see the gateway's log and health).
     */
    public String unchainedSummary(Duration bound) {
        if (unchained == 0) {
            return "unchained: 0 entries";
        }
        String line = "unchained: " + unchained + " entries, the oldest " + seconds(oldestUnchained) + " s old";
        return unchainedOverdue(bound) ? line + " (overdue: longer than " + seconds(bound) + " s; is a gateway running "
                + "and chaining? see its health and log)" : line;
    }

    /** Whether an unchained entry has waited longer than the bound. */
    public boolean unchainedOverdue(Duration bound) {
        return unchained > 0 && oldestUnchained.compareTo(bound) > 0;
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
