package jp.tsunagi.schema.signature;

/** A signature that verified: who signed (kid) and how. The caller decides whether that kid may speak for the sender. */
public record VerifiedSignature(String kid, SignatureAlgorithm algorithm) {
    /** The agency part of a kid {@code <agencyId>#<n>}. */
    public String agencyId() {
        int hash = kid.indexOf('#');
        return hash < 0 ? kid : kid.substring(0, hash);
    }
}
