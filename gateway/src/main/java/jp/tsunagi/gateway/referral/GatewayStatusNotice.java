package jp.tsunagi.gateway.referral;

import jp.tsunagi.schema.JapanTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Objects;
import jp.tsunagi.gateway.store.ReferralRecord;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.ReferralStatus;
import jp.tsunagi.schema.model.StatusReason;
import jp.tsunagi.schema.model.StatusUpdate;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * A {@code STATUS_UPDATE} the gateway itself sends a referral's sender, signed with the gateway key as its receipts
 * and forwarded copies are: the referral reached the recipient's system (受信), could not be delivered (不達), was
 * cancelled because the person withdrew the consent before it was delivered (取消), or is overdue (督促). It names
 * only ids, agency ids and dates: never the person.
 */
public final class GatewayStatusNotice {
    private static final ZoneId TOKYO = JapanTime.ZONE;

    private final SigningKey gatewayKey;
    private final String gatewayId;

    public GatewayStatusNotice(SigningKey gatewayKey, String gatewayId) {
        this.gatewayKey = Objects.requireNonNull(gatewayKey, "gatewayKey");
        this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
    }

    /** The signed document for the referral's sender; {@code reason} for DECLINED, FAILED and CANCELLED. */
    public byte[] document(String messageId, ReferralRecord referral, ReferralStatus status, StatusReason reason,
                           Instant effectiveAt, String note, Instant now, MessageFormat format) {
        StatusUpdate update = new StatusUpdate();
        update.setStatus(status);
        update.setReason(reason);
        update.setEffectiveAt(OffsetDateTime.ofInstant(effectiveAt, TOKYO));
        update.setNote(note);
        Message message = new Message();
        message.setMessageId(messageId);
        message.setMessageType(MessageType.STATUS_UPDATE);
        message.setSchemaVersion(TsunagiSchema.VERSION);
        message.setCreatedAt(OffsetDateTime.ofInstant(now, TOKYO));
        message.setSender(gatewayId);
        message.setRecipient(referral.sender());
        message.setReferralId(referral.referralId());
        message.setStatusUpdate(update);
        byte[] document = format == MessageFormat.XML ? XmlCodec.write(message) : JsonCodec.write(message);
        return MessageSignatures.sign(document, gatewayKey);
    }
}
