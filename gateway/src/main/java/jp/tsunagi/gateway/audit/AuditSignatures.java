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
 *
 * <p>The head also signs {@code "checkpoints"} (how many there are) and {@code "checkpointSeq"} (the last one's seq),
 * so that deleting checkpoint rows, all of them included, is detected. A head signed before it did (its
 * {@code checkpoint_count} null) is checked on the four members alone; the next batch the sequencer chains re-signs it.
 */
final class AuditSignatures {
    static final String HEAD = "tsunagi-audit-head";
    static final String CHECKPOINT = "tsunagi-audit-checkpoint";

    private AuditSignatures() {
    }

    static byte[] payload(String type, long seq, String entryHash, OffsetDateTime at) {
        return payload(type, seq, entryHash, at, null);
    }

    static byte[] payload(String type, long seq, String entryHash, OffsetDateTime at, AuditRows.Checkpoints checkpoints) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", type);
        members.put("seq", seq);
        members.put("entryHash", entryHash);
        members.put("at", AuditTime.canonical(at));
        if (checkpoints != null) {
            members.put("checkpoints", checkpoints.count());
            members.put("checkpointSeq", checkpoints.lastSeq());
        }
        return CanonicalJson.of(members);
    }

    static String sign(SigningKey key, String type, long seq, String entryHash, OffsetDateTime at) {
        return JsonSignatures.detachedJws(payload(type, seq, entryHash, at), key);
    }

    /** The head's signature: over its entry and over the checkpoints it commits to. */
    static String signHead(SigningKey key, long seq, String entryHash, OffsetDateTime at, AuditRows.Checkpoints checkpoints) {
        return JsonSignatures.detachedJws(payload(HEAD, seq, entryHash, at, checkpoints), key);
    }

    /** Null when the anchor's signature verifies (for a head: with the checkpoints it names), otherwise why not. */
    static String problem(KeyResolver gatewayKeys, AuditRows.Anchor a, String type) {
        return problem(gatewayKeys, a.signature(), payload(type, a.seq(), a.entryHash(), a.at(), a.checkpoints()));
    }

    /** Null when the signature verifies with one of the gateway's keys, otherwise why not. */
    static String problem(KeyResolver gatewayKeys, String signature, String type, long seq, String entryHash,
            OffsetDateTime at) {
        return problem(gatewayKeys, signature, payload(type, seq, entryHash, at));
    }

    private static String problem(KeyResolver gatewayKeys, String signature, byte[] payload) {
        if (signature == null || signature.isBlank()) {
            return "no signature";
        }
        try {
            JsonSignatures.verifyDetached(signature, payload, gatewayKeys);
            return null;
        } catch (MessageRejectedException e) {
            return e.code() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            return "unreadable signature (" + e.getClass().getSimpleName() + ")";
        }
    }
}
