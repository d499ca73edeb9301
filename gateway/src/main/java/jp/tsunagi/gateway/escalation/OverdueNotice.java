package jp.tsunagi.gateway.escalation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Objects;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.StatusUpdate;
import jp.tsunagi.schema.signature.MessageSignatures;
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

    private final SigningKey gatewayKey;
    private final String gatewayId;

    OverdueNotice(SigningKey gatewayKey, String gatewayId) {
        this.gatewayKey = Objects.requireNonNull(gatewayKey, "gatewayKey");
        this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
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
        StatusUpdate update = new StatusUpdate();
        update.setStatus(referral.status());
        // the status restated has been in effect since the referral's last change; no reason: it is neither
        // DECLINED nor FAILED, and no reason code of the schema means "overdue"
        update.setEffectiveAt(OffsetDateTime.ofInstant(referral.updatedAt(), MunicipalCalendar.TOKYO));
        update.setNote(note(referral, acceptedOn, dueDate, businessDays));
        Message message = new Message();
        message.setMessageId(messageId);
        message.setMessageType(MessageType.STATUS_UPDATE);
        message.setSchemaVersion(TsunagiSchema.VERSION);
        message.setCreatedAt(OffsetDateTime.ofInstant(now, MunicipalCalendar.TOKYO));
        message.setSender(gatewayId);
        message.setRecipient(referral.sender());
        message.setReferralId(referral.referralId());
        message.setStatusUpdate(update);
        byte[] document = format == MessageFormat.XML ? XmlCodec.write(message) : JsonCodec.write(message);
        return MessageSignatures.sign(document, gatewayKey);
    }

    static String note(ReferralRecord referral, LocalDate acceptedOn, LocalDate dueDate, int businessDays) {
        return NOTE_CODE + " 督促: 紹介 " + referral.referralId() + " は " + acceptedOn + " にゲートウェイが受け付けてから "
                + businessDays + " 開庁日 (期限 " + dueDate + ") を過ぎても、送付先 " + referral.recipient()
                + " から受理または受入不可の連絡がありません。送付先に状況をご確認ください。"
                + " (Not accepted or declined by " + referral.recipient() + " within " + businessDays
                + " municipal business days of " + acceptedOn + ", due " + dueDate + ".)";
    }
}
