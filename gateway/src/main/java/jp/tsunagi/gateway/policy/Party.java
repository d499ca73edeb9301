package jp.tsunagi.gateway.policy;

import java.util.Objects;

/**
 * Who asks for a change of a referral's status (紹介の当事者): its sender (紹介元), its recipient (紹介先), the
 * gateway itself (delivery, dead letter, consent withdrawal), or anyone else.
 */
public enum Party {
    REFERRAL_SENDER,
    REFERRAL_RECIPIENT,
    GATEWAY,
    OTHER;

    /**
     * The party an agency (or the gateway) is to a referral.
     *
     * @param actorId           the agency id (or the gateway id) asking for the change
     * @param referralSender    the sender of the referral
     * @param referralRecipient the recipient of the referral
     * @param gatewayId         the id of the gateway (agencies.yaml, section gateway)
     */
    public static Party of(String actorId, String referralSender, String referralRecipient, String gatewayId) {
        Objects.requireNonNull(actorId, "actorId");
        if (actorId.equals(gatewayId)) {
            return GATEWAY;
        }
        if (actorId.equals(referralRecipient)) {
            return REFERRAL_RECIPIENT;
        }
        return actorId.equals(referralSender) ? REFERRAL_SENDER : OTHER;
    }
}
