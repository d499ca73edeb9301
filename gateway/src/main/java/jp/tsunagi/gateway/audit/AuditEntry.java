package jp.tsunagi.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * One entry of the audit chain as stored in {@code audit_entry}.
 *
 * <p>{@code entryHash = hex(SHA-256(ascii(prevHash) || canonical))} where {@code canonical} is the RFC 8785 form
 * of the JSON object {@code {"action","actor","at","basis","code","dataCategories","messageId","outcome",
 * "referralId","seq","subjectRef"}} (absent values as {@code null}, {@code at} as {@link AuditTime#canonical}).
 * The genesis entry's {@code prevHash} is 64 zeros. An export in JSON Lines holds exactly these members plus
 * {@code prevHash} and {@code entryHash}, so anyone can recompute the chain from it.
 */
public record AuditEntry(long seq, OffsetDateTime at, String actor, String action, String messageId, String referralId,
        String subjectRef, String dataCategories, String basis, String outcome, String code, String prevHash,
        String entryHash) {

    /** The prevHash of entry 1. */
    public static final String GENESIS_HASH = "0".repeat(64);

    /** The next entry of a chain whose last entry hash is {@code prevHash}. */
    static AuditEntry next(long seq, OffsetDateTime at, String prevHash, AuditEvent event, ChainHash hash) {
        AuditEntry unhashed = new AuditEntry(seq, AuditTime.normalize(at), event.actor(), event.action().name(),
                event.messageId(), event.referralId(), event.subjectRef(), event.categoryList(), event.basis(),
                event.outcome(), event.code(), prevHash, null);
        return unhashed.withEntryHash(hash.of(prevHash, unhashed.canonical()));
    }

    AuditEntry withEntryHash(String entryHash) {
        return new AuditEntry(seq, at, actor, action, messageId, referralId, subjectRef, dataCategories, basis, outcome,
                code, prevHash, entryHash);
    }

    /** The members hashed (everything but the two hashes), as a map: also what exports write. */
    Map<String, Object> members() {
        Map<String, Object> members = new HashMap<>(16);
        members.put("seq", seq);
        members.put("at", AuditTime.canonical(at));
        members.put("actor", actor);
        members.put("action", action);
        members.put("messageId", messageId);
        members.put("referralId", referralId);
        members.put("subjectRef", subjectRef);
        members.put("dataCategories", dataCategories);
        members.put("basis", basis);
        members.put("outcome", outcome);
        members.put("code", code);
        return members;
    }

    /** The RFC 8785 canonical JSON that, after prevHash, goes into the hash. */
    public byte[] canonical() {
        return CanonicalJson.of(members());
    }

    /** The hash this entry's content and prevHash give: equal to {@link #entryHash} unless it was altered. */
    public String recomputeHash() {
        return new ChainHash().of(prevHash, canonical());
    }

    /** SHA-256 of the chain; one instance per thread (MessageDigest is not thread-safe). */
    static final class ChainHash {
        private static final HexFormat HEX = HexFormat.of();
        private final MessageDigest sha256;

        ChainHash() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JVM has no SHA-256", e);
            }
        }

        String of(String prevHash, byte[] canonical) {
            sha256.reset();
            sha256.update(prevHash == null ? new byte[0] : prevHash.getBytes(StandardCharsets.UTF_8));
            sha256.update(canonical);
            return HEX.formatHex(sha256.digest());
        }
    }
}
