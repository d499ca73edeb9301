package jp.tsunagi.gateway.intake;

import java.time.OffsetDateTime;
import java.util.UUID;
import jp.tsunagi.schema.JapanTime;
import jp.tsunagi.schema.model.ConsentWithdrawal;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.Provenance;
import jp.tsunagi.schema.model.Receipt;
import jp.tsunagi.schema.signature.JsonSignatures;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.signature.XmlSignatures;

/** What the gateway itself writes and signs: forwarded messages (with provenance) and receipts (受領証). */
public final class GatewayMessages {
    private final SigningKey gatewayKey;
    private final String gatewayId;

    public GatewayMessages(SigningKey gatewayKey, String gatewayId) {
        this.gatewayKey = gatewayKey;
        this.gatewayId = gatewayId;
    }

    /** The schema version that added {@code provenance.removedMembers}. */
    static final String SCHEMA_WITH_REMOVED_MEMBERS = "1.1";

    /**
     * The content to forward, under a new message id, with provenance, signed by the gateway. A 1.0 message whose copy
     * lists removed household members becomes a 1.1 copy: a recipient checking against 1.0 would not know the field.
     */
    Signed forward(Message content, Provenance provenance, String recipient, MessageFormat format, OffsetDateTime now) {
        Message forwarded = JsonCodec.bind(JsonCodec.toTree(content));
        forwarded.setMessageId(UUID.randomUUID().toString());
        forwarded.setCreatedAt(now);
        forwarded.setRecipient(recipient);
        forwarded.setProvenance(provenance);
        if (!provenance.getRemovedMembers().isEmpty() && "1.0".equals(forwarded.getSchemaVersion())) {
            forwarded.setSchemaVersion(SCHEMA_WITH_REMOVED_MEMBERS); // the copy uses what 1.1 added: it says so
        }
        forwarded.setXmlSignature(null);
        return new Signed(forwarded.getMessageId(), format, sign(forwarded, format));
    }

    /**
     * The signed receipt answering an accepted message: what the sender keeps as proof of hand-over. {@code auditSeq} is
     * the ACCEPTED entry's stable number ({@code audit_entry.entry_id} once chained; docs/architecture.md D12).
     */
    byte[] receipt(Message accepted, long auditSeq, OffsetDateTime receivedAt, MessageFormat format) {
        Receipt body = new Receipt();
        body.setAcknowledgedMessageId(accepted.getMessageId());
        body.setReceivedAt(receivedAt);
        body.setAuditSeq(auditSeq);
        Message receipt = new Message();
        receipt.setMessageId(UUID.randomUUID().toString());
        receipt.setMessageType(MessageType.RECEIPT);
        receipt.setSchemaVersion(TsunagiSchema.VERSION);
        receipt.setCreatedAt(receivedAt);
        receipt.setSender(gatewayId);
        receipt.setRecipient(accepted.getSender());
        receipt.setReferralId(accepted.getReferralId());
        receipt.setReceipt(body);
        return sign(receipt, format);
    }

    /**
     * The CONSENT_WITHDRAWAL message of a withdrawal made at {@code w.recordedBy()}'s counter (窓口での撤回), as that
     * agency would have sent it to the gateway, but signed with the gateway's key (the agency's key is not here).
     */
    byte[] counterWithdrawal(IntakeService.CounterWithdrawal w, String referralId, String gatewayId, OffsetDateTime now) {
        ConsentWithdrawal withdrawal = new ConsentWithdrawal();
        withdrawal.setConsentId(w.consentId());
        withdrawal.setWithdrawnAt(OffsetDateTime.ofInstant(w.withdrawnAt(), JapanTime.ZONE));
        withdrawal.setRecordedBy(w.recordedBy());
        withdrawal.setMethod(w.method());
        Message message = new Message();
        message.setMessageId(UUID.randomUUID().toString());
        message.setMessageType(MessageType.CONSENT_WITHDRAWAL);
        message.setSchemaVersion(TsunagiSchema.VERSION);
        message.setCreatedAt(now);
        message.setSender(w.recordedBy());
        message.setRecipient(gatewayId);
        message.setReferralId(referralId);
        message.setConsentWithdrawal(withdrawal);
        return sign(message, MessageFormat.JSON);
    }

    private byte[] sign(Message message, MessageFormat format) {
        return format == MessageFormat.JSON ? JsonSignatures.sign(JsonCodec.toTree(message), gatewayKey)
                : XmlSignatures.sign(XmlCodec.write(message), gatewayKey);
    }

    record Signed(String messageId, MessageFormat format, byte[] document) {
    }
}
