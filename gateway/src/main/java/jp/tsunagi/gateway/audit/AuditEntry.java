package jp.tsunagi.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
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

    /** {@link #canonical} written into {@code out}: the members of {@link #members} in their sorted order. */
    private void canonical(CanonicalJson.Writer out) {
        out.member("action", action).member("actor", actor).member("at", AuditTime.canonical(at)).member("basis", basis)
                .member("code", code).member("dataCategories", dataCategories).member("messageId", messageId)
                .member("outcome", outcome).member("referralId", referralId).member("seq", seq)
                .member("subjectRef", subjectRef).end();
    }

    /** The hash this entry's content and prevHash give: equal to {@link #entryHash} unless it was altered. */
    public String recomputeHash() {
        return new ChainHash().of(prevHash, canonical());
    }

    /** SHA-256 of the chain; one instance per thread (MessageDigest is not thread-safe). */
    static final class ChainHash {
        private static final HexFormat HEX = HexFormat.of();
        private static final String HEX_DIGITS = "0123456789abcdef"; // what HEX writes
        private final MessageDigest sha256;
        private final CanonicalJson.Writer input = new CanonicalJson.Writer();
        private final byte[] digest = new byte[32];

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

        /**
         * Whether the entry's entryHash is the hash of its prevHash and content, as
         * {@code of(e.prevHash(), e.canonical()).equals(e.entryHash())} says, but without a map, a string or an array
         * for each entry: the verifier asks it of every entry of the trail.
         */
        boolean matches(AuditEntry e) {
            e.canonical(input.begin(e.prevHash() == null ? "" : e.prevHash()));
            sha256.reset();
            sha256.update(input.bytes(), 0, input.length());
            try {
                sha256.digest(digest, 0, digest.length);
            } catch (DigestException impossible) {
                throw new IllegalStateException(impossible);
            }
            String hex = e.entryHash();
            if (hex == null || hex.length() != 2 * digest.length) {
                return false;
            }
            for (int i = 0; i < digest.length; i++) {
                if (hex.charAt(2 * i) != HEX_DIGITS.charAt((digest[i] >> 4) & 0xf)
                        || hex.charAt(2 * i + 1) != HEX_DIGITS.charAt(digest[i] & 0xf)) {
                    return false;
                }
            }
            return true;
        }
    }
}
