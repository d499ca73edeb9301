package jp.tsunagi.gateway.store;

import java.time.Instant;
import java.util.Objects;
import jp.tsunagi.schema.model.ReferralStatus;

/**
 * One step in the history of a referral: the status it reached, when, set by which agency, why (a reason code for
 * DECLINED and FAILED), and the message that carried it.
 */
public record ReferralEvent(String referralId, ReferralStatus status, Instant at, String byAgency, String reason,
                            String messageId) {
    public ReferralEvent {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(byAgency, "byAgency");
    }
}
