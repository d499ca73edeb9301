package jp.tsunagi.gateway.store;

import java.time.Instant;
import java.util.Objects;
import jp.tsunagi.schema.model.ReferralStatus;

/**
 * The current state of one referral (紹介): who sent it to whom, where it stands in the lifecycle, under which
 * consent, and the keyed pseudonym of the person (never the person's identity).
 */
public record ReferralRecord(String referralId, String sender, String recipient, ReferralStatus status,
                             String consentId, String subjectRef, Instant createdAt, Instant updatedAt) {
    public ReferralRecord {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The same referral in another status. */
    public ReferralRecord withStatus(ReferralStatus newStatus, Instant at) {
        return new ReferralRecord(referralId, sender, recipient, newStatus, consentId, subjectRef, createdAt, at);
    }
}
