package jp.tsunagi.gateway.intake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import jp.tsunagi.gateway.policy.Decision;
import jp.tsunagi.gateway.policy.Minimized;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.Referral;
import jp.tsunagi.schema.model.Sensitivity;
import jp.tsunagi.schema.model.Provenance;

/**
 * The provenance block (来歴) the gateway adds to what it forwards, so an auditor can prove what the sender sent:
 * the original message id and sender, the SHA-256 of the original canonical form, the original signature, and the
 * categories minimization removed.
 */
final class Provenances {
    private Provenances() {
    }

    static Provenance of(Original original, String messageId, String sender, List<DataCategory> removed) {
        Provenance p = new Provenance();
        p.setOriginalMessageId(messageId);
        p.setOriginalSender(sender);
        p.setOriginalSha256(original.contentSha256());
        p.setOriginalSignature(original.signature());
        p.getRemovedCategories().addAll(removed);
        return p;
    }

    /** The provenance of a minimized copy: what was removed, and which household members (by position, never name). */
    static Provenance of(Original original, String messageId, String sender, Minimized minimized) {
        Provenance p = of(original, messageId, sender, minimized.removed());
        p.getRemovedMembers().addAll(minimized.removedMembers());
        return p;
    }

    /**
     * The outcome of a referral's consent decision in the audit trail: allowed, whether a person must review it, and
     * the referral's sensitivity flag (要配慮: 人権, DV, 虐待), a code and never personal data.
     */
    static String decisionOutcome(Decision decision, Referral referral) {
        String outcome = decision.reviewRequired() ? "allowed.review_required" : "allowed";
        Sensitivity sensitivity = referral == null ? null : referral.getSensitivity();
        return sensitivity == null ? outcome : outcome + ".sensitivity." + sensitivity.name();
    }

    /** The outcome of a minimization in the audit trail: "removed", and how many household members were left out. */
    static String minimizedOutcome(Minimized minimized) {
        return minimized.removedMembers().isEmpty() ? "removed" : "removed.members." + minimized.removedMembers().size();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
