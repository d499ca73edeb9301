package jp.tsunagi.gateway.audit;

/** Why the audit trail is not intact: the kind of the first problem {@link AuditVerifier} found. */
public enum Tampering {
    /** An entry's content no longer matches its own hash: a field was changed. */
    CHANGED("changed"),
    /** A sequence number is missing: an entry was deleted. */
    DELETED("deleted"),
    /** An entry that is not part of the chain: inserted between two entries, or added after the signed head. */
    INSERTED("inserted"),
    /** An entry does not link to its predecessor: entries were moved, swapped or renumbered. */
    REORDERED("reordered"),
    /** The signed head or a signed checkpoint names an entry the chain no longer has: the newest entries were deleted. */
    TRUNCATED("truncated"),
    /** The chain is consistent but differs from what the gateway signed: entries were changed and hashes recomputed. */
    REWRITTEN("rewritten"),
    /** Fewer signed checkpoints than the signed head counts, or not the last one it names: checkpoint rows were deleted. */
    DELETED_CHECKPOINT("deleted checkpoint"),
    /** A checkpoint's or the head's signature does not verify with the gateway's keys. */
    FORGED_SIGNATURE("forged signature"),
    /** The head or a checkpoint has no signature, or the head row is missing. */
    MISSING_SIGNATURE("missing signature");

    private final String words;

    Tampering(String words) {
        this.words = words;
    }

    /** Lower-case words for reports, e.g. "forged signature". */
    public String words() {
        return words;
    }
}
