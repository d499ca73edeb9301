package jp.tsunagi.gateway.audit;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import jp.tsunagi.schema.signature.JsonSignatures;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.validation.MessageRejectedException;

/**
 * The gateway's signatures over the chain: a detached JWS over the canonical JSON {@code {"at","entryHash","seq",
 * "type"}}. The {@code type} member separates the two uses: without it, after deleting the newest entries, the
 * signature of the last remaining checkpoint could be copied into the head and the truncation would go unseen.
 */
final class AuditSignatures {
    static final String HEAD = "tsunagi-audit-head";
    static final String CHECKPOINT = "tsunagi-audit-checkpoint";

    private AuditSignatures() {
    }

    static byte[] payload(String type, long seq, String entryHash, OffsetDateTime at) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", type);
        members.put("seq", seq);
        members.put("entryHash", entryHash);
        members.put("at", AuditTime.canonical(at));
        return CanonicalJson.of(members);
    }

    static String sign(SigningKey key, String type, long seq, String entryHash, OffsetDateTime at) {
        return JsonSignatures.detachedJws(payload(type, seq, entryHash, at), key);
    }

    /** Null when the signature verifies with one of the gateway's keys, otherwise why not. */
    static String problem(KeyResolver gatewayKeys, String signature, String type, long seq, String entryHash,
            OffsetDateTime at) {
        if (signature == null || signature.isBlank()) {
            return "no signature";
        }
        try {
            JsonSignatures.verifyDetached(signature, payload(type, seq, entryHash, at), gatewayKeys);
            return null;
        } catch (MessageRejectedException e) {
            return e.code() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return "unreadable signature (" + e.getClass().getSimpleName() + ")";
        }
    }
}
