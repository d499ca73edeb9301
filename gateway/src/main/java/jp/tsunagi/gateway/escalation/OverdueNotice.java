package jp.tsunagi.gateway.escalation;

import java.time.Instant;
import java.time.LocalDate;
import jp.tsunagi.gateway.referral.GatewayStatusNotice;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * The 督促 notice the gateway sends a referral's sender when the recipient has not accepted or declined it in time:
 * a {@code STATUS_UPDATE} from the gateway, signed with the gateway key (as its receipts and forwarded copies are),
 * restating the referral's current status (SENT or RECEIVED: nothing changes) with a note that starts with
 * {@value #NOTE_CODE}. It names only ids, agency ids and dates: never the person.
 */
final class OverdueNotice {
    /** The first words of the note: what a sender's system can look for. */
    static final String NOTE_CODE = "[escalation.overdue]";

    private final GatewayStatusNotice notices;

    OverdueNotice(SigningKey gatewayKey, String gatewayId) {
        this.notices = new GatewayStatusNotice(gatewayKey, gatewayId);
    }

    /**
     * The signed document for the referral's sender.
     *
     * @param acceptedOn   the Japan date the gateway accepted the referral
     * @param dueDate      the last business day the recipient had
     * @param businessDays how many business days that was
     */
    byte[] document(String messageId, ReferralRecord referral, LocalDate acceptedOn, LocalDate dueDate, int businessDays,
                    Instant now, MessageFormat format) {
        // the status restated has been in effect since the referral's last change; no reason: it is neither
        // DECLINED nor FAILED, and no reason code of the schema means "overdue"
        return notices.document(messageId, referral, referral.status(), null, referral.updatedAt(),
                note(referral, acceptedOn, dueDate, businessDays), now, format);
    }

    static String note(ReferralRecord referral, LocalDate acceptedOn, LocalDate dueDate, int businessDays) {
        return NOTE_CODE + " 督促: 紹介 " + referral.referralId() + " は " + acceptedOn + " にゲートウェイが受け付けてから "
                + businessDays + " 開庁日 (期限 " + dueDate + ") を過ぎても、送付先 " + referral.recipient()
                + " から受理または受入不可の連絡がありません。送付先に状況をご確認ください。"
                + " (Not accepted or declined by " + referral.recipient() + " within " + businessDays
                + " municipal business days of " + acceptedOn + ", due " + dueDate + ".)";
    }
}
