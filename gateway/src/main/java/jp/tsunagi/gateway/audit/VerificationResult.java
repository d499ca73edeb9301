package jp.tsunagi.gateway.audit;

/**
 * What {@link AuditVerifier} found: intact, or the first bad sequence number and why. Holds no personal data (only
 * sequence numbers, hashes and counts), so it can be printed and logged.
 *
 * @param entries     entries checked before the verdict (all of them when intact)
 * @param checkpoints signed checkpoints checked
 * @param headSeq     the seq the signed head names (-1 when the head row is missing)
 * @param headHash    the hash the signed head names: write it down to detect a later rollback of the whole trail
 */
public record VerificationResult(boolean intact, long entries, long checkpoints, long headSeq, String headHash,
        long firstBadSeq, Tampering tampering, String detail) {

    static VerificationResult intact(long entries, long checkpoints, long headSeq, String headHash) {
        return new VerificationResult(true, entries, checkpoints, headSeq, headHash, -1, null, null);
    }

    static VerificationResult tampered(long entries, long checkpoints, long headSeq, String headHash, long firstBadSeq,
            Tampering tampering, String detail) {
        return new VerificationResult(false, entries, checkpoints, headSeq, headHash, firstBadSeq, tampering, detail);
    }

    /** One line: {@code intact: N entries, M checkpoints} or {@code tampered at seq S (kind): detail}. */
    public String summary() {
        return intact
                ? "intact: " + entries + " entries, " + checkpoints + " checkpoints"
                : "tampered at seq " + firstBadSeq + " (" + tampering.words() + "): " + detail;
    }
}
