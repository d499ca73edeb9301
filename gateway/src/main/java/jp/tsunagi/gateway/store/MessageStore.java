package jp.tsunagi.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.ReferralStatus;

/**
 * The durable store of accepted messages, their forwarded copies (the outbox), referral state and consent
 * bookkeeping.
 *
 * <p>Every method works on a connection the caller passes in, inside the caller's transaction, so the intake writes
 * message, outbox rows, audit entries and referral state together ({@link Transactions#inTransaction}) before it
 * answers 202: either all of it is durable or none of it is. Documents are encrypted with the {@link PayloadCipher}
 * on the way in and decrypted on the way out; they are held as {@code byte[]} and never logged.
 */
public final class MessageStore {
    /** Last error code of outbox rows stopped by a consent withdrawal. */
    public static final String CONSENT_WITHDRAWN = "consent.withdrawn";

    private final PayloadCipher cipher;
    private final Clock clock;

    public MessageStore(PayloadCipher cipher, Clock clock) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public MessageStore(PayloadCipher cipher) {
        this(cipher, Clock.systemUTC());
    }

    // ---------------------------------------------------------------- messages

    /** The stored message with its documents decrypted (the payload is null once purged). */
    public Optional<StoredMessage> find(Connection c, String messageId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT message_id, message_type, sender, recipient, referral_id,"
                + " received_at, content_sha256, format, payload_enc, payload_purged_at, receipt_enc"
                + " FROM message WHERE message_id = ?")) {
            s.setString(1, messageId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                byte[] payload = r.getBytes("payload_enc");
                byte[] receipt = r.getBytes("receipt_enc");
                return Optional.of(new StoredMessage(messageId, MessageType.valueOf(r.getString("message_type")),
                        r.getString("sender"), r.getString("recipient"), r.getString("referral_id"),
                        Rows.time(r, "received_at"), r.getString("content_sha256"),
                        MessageFormat.valueOf(r.getString("format")),
                        payload == null ? null : cipher.decrypt(payload, Rows.messagePayloadAad(messageId)),
                        Rows.time(r, "payload_purged_at"),
                        receipt == null ? null : cipher.decrypt(receipt, Rows.messageReceiptAad(messageId))));
            }
        }
    }

    /**
     * Whether a submitted message is new, an exact repeat (same id, same canonical content: the original receipt
     * comes back) or a conflict (same id, other content). Still valid after retention purged the payload.
     */
    public IdempotencyCheck checkRepeat(Connection c, String messageId, String contentSha256) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT content_sha256, receipt_enc FROM message WHERE message_id = ?")) {
            s.setString(1, messageId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return IdempotencyCheck.ofNew();
                }
                if (!r.getString("content_sha256").equals(contentSha256)) {
                    return new IdempotencyCheck(IdempotencyCheck.Outcome.CONFLICT, null);
                }
                byte[] receipt = r.getBytes("receipt_enc");
                return new IdempotencyCheck(IdempotencyCheck.Outcome.REPEAT,
                        receipt == null ? null : cipher.decrypt(receipt, Rows.messageReceiptAad(messageId)));
            }
        }
    }

    /**
     * Stores an accepted message, its payload (and receipt, if already made) encrypted.
     *
     * @throws DuplicateMessageException when the id is already stored (also by a concurrent transaction that
     *                                   committed first): roll back, then {@link #checkRepeat} in a new transaction
     */
    public void saveMessage(Connection c, StoredMessage m) throws SQLException {
        Objects.requireNonNull(m.payload(), "payload");
        try (PreparedStatement s = c.prepareStatement("INSERT INTO message (message_id, message_type, sender, recipient,"
                + " referral_id, received_at, content_sha256, format, payload_enc, receipt_enc)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, m.messageId());
            s.setString(2, m.messageType().name());
            s.setString(3, m.sender());
            s.setString(4, m.recipient());
            s.setString(5, m.referralId());
            Rows.setTime(s, 6, m.receivedAt());
            s.setString(7, m.contentSha256());
            s.setString(8, m.format().name());
            s.setBytes(9, cipher.encrypt(m.payload(), Rows.messagePayloadAad(m.messageId())));
            s.setBytes(10, m.receipt() == null ? null : cipher.encrypt(m.receipt(), Rows.messageReceiptAad(m.messageId())));
            s.executeUpdate();
        } catch (SQLException e) {
            if (Rows.isUniqueViolation(e)) {
                throw new DuplicateMessageException(m.messageId(), e);
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- outbox

    /**
     * Queues a forwarded copy for delivery, due at once, behind the earlier copies of the same (referral, recipient).
     * Two transactions enqueuing for the same queue at the same time cannot both commit (unique queue position): the
     * loser rolls back and is answered 503, nothing half-stored. Locking the referral first ({@link #lockReferral})
     * serializes them instead.
     *
     * @return the stored row, with its id and position
     */
    public OutboxItem enqueue(Connection c, OutboxItem item) throws SQLException {
        Objects.requireNonNull(item.payload(), "payload");
        long orderKey;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COALESCE(MAX(order_key), 0) + 1 FROM outbox WHERE referral_id = ? AND recipient = ?")) {
            s.setString(1, item.referralId());
            s.setString(2, item.recipient());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                orderKey = r.getLong(1);
            }
        }
        Instant created = Rows.micros(item.createdAt() == null ? clock.instant() : item.createdAt());
        Instant due = item.nextAttemptAt() == null ? created : Rows.micros(item.nextAttemptAt());
        try (PreparedStatement s = c.prepareStatement("INSERT INTO outbox (message_id, original_message_id, recipient,"
                + " referral_id, media_type, payload_enc, status, attempts, next_attempt_at, created_at, order_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)", new String[] {"id"})) {
            s.setString(1, item.messageId());
            s.setString(2, item.originalMessageId());
            s.setString(3, item.recipient());
            s.setString(4, item.referralId());
            s.setString(5, item.mediaType());
            s.setBytes(6, cipher.encrypt(item.payload(), Rows.outboxPayloadAad(item.messageId())));
            Rows.setTime(s, 7, due);
            Rows.setTime(s, 8, created);
            s.setLong(9, orderKey);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return new OutboxItem(keys.getLong(1), item.messageId(), item.originalMessageId(), item.recipient(),
                        item.referralId(), item.mediaType(), item.payload(), OutboxStatus.PENDING, 0, due, null, null,
                        null, created, null, null, orderKey, null);
            }
        }
    }

    /** The forwarded copies made from one accepted message, without payloads, in queue order. */
    public List<OutboxItem> outboxOf(Connection c, String originalMessageId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + Rows.OUTBOX_COLUMNS
                + " FROM outbox o WHERE o.original_message_id = ? ORDER BY o.recipient, o.order_key")) {
            s.setString(1, originalMessageId);
            return outboxRows(s);
        }
    }

    /** One forwarded copy by its own message id, without payload. */
    public Optional<OutboxItem> findOutbox(Connection c, String outboxMessageId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + Rows.OUTBOX_COLUMNS
                + " FROM outbox o WHERE o.message_id = ?")) {
            s.setString(1, outboxMessageId);
            return outboxRows(s).stream().findFirst();
        }
    }

    // ---------------------------------------------------------------- referrals

    public Optional<ReferralRecord> findReferral(Connection c, String referralId) throws SQLException {
        return referral(c, referralId, "");
    }

    /**
     * The referral, its row locked until the transaction ends: concurrent messages about the same referral are
     * judged by the lifecycle one after the other, each seeing the state the previous one left.
     */
    public Optional<ReferralRecord> lockReferral(Connection c, String referralId) throws SQLException {
        return referral(c, referralId, " FOR UPDATE");
    }

    private Optional<ReferralRecord> referral(Connection c, String referralId, String lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT referral_id, sender, recipient, status, consent_id,"
                + " subject_ref, created_at, updated_at FROM referral WHERE referral_id = ?" + lock)) {
            s.setString(1, referralId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new ReferralRecord(r.getString("referral_id"), r.getString("sender"),
                        r.getString("recipient"), ReferralStatus.valueOf(r.getString("status")),
                        r.getString("consent_id"), r.getString("subject_ref"), Rows.time(r, "created_at"),
                        Rows.time(r, "updated_at")));
            }
        }
    }

    /**
     * Creates or replaces the referral's current state (created_at is kept once set). Update first, insert if
     * absent: the one form both databases share (PostgreSQL 14 has no MERGE).
     */
    public void upsertReferral(Connection c, ReferralRecord r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE referral SET sender = ?, recipient = ?, status = ?,"
                + " consent_id = ?, subject_ref = ?, updated_at = ? WHERE referral_id = ?")) {
            s.setString(1, r.sender());
            s.setString(2, r.recipient());
            s.setString(3, r.status().name());
            s.setString(4, r.consentId());
            s.setString(5, r.subjectRef());
            Rows.setTime(s, 6, r.updatedAt());
            s.setString(7, r.referralId());
            if (s.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO referral (referral_id, sender, recipient, status,"
                + " consent_id, subject_ref, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, r.referralId());
            s.setString(2, r.sender());
            s.setString(3, r.recipient());
            s.setString(4, r.status().name());
            s.setString(5, r.consentId());
            s.setString(6, r.subjectRef());
            Rows.setTime(s, 7, r.createdAt());
            Rows.setTime(s, 8, r.updatedAt());
            s.executeUpdate();
        }
    }

    /** Names the referral's own forwarded copy (outbox message id): the one copy whose outcome moves the referral. */
    public void recordReferralCopy(Connection c, String referralId, String copyMessageId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE referral SET copy_message_id = ? WHERE referral_id = ?")) {
            s.setString(1, copyMessageId);
            s.setString(2, referralId);
            s.executeUpdate();
        }
    }

    /** The message id of the referral's own forwarded copy, if known. */
    public Optional<String> referralCopy(Connection c, String referralId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT copy_message_id FROM referral WHERE referral_id = ?")) {
            s.setString(1, referralId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
            }
        }
    }

    /** The format the sender used for the referral (JSON if that is no longer known): its notices go back in it. */
    public MessageFormat referralFormat(Connection c, String referralId, String sender) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT format FROM message WHERE referral_id = ? AND sender = ?"
                + " AND message_type = 'REFERRAL' ORDER BY received_at LIMIT 1")) {
            s.setString(1, referralId);
            s.setString(2, sender);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && "XML".equals(r.getString(1)) ? MessageFormat.XML : MessageFormat.JSON;
            }
        }
    }

    /** Appends one step to the referral's history (the referral row must exist). */
    public void appendReferralEvent(Connection c, ReferralEvent e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO referral_event (referral_id, status, at, by_agency,"
                + " reason, message_id) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, e.referralId());
            s.setString(2, e.status().name());
            Rows.setTime(s, 3, e.at());
            s.setString(4, e.byAgency());
            s.setString(5, e.reason());
            s.setString(6, e.messageId());
            s.executeUpdate();
        }
    }

    /** The referral's history, oldest first. */
    public List<ReferralEvent> referralHistory(Connection c, String referralId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT referral_id, status, at, by_agency, reason, message_id"
                + " FROM referral_event WHERE referral_id = ? ORDER BY event_id")) {
            s.setString(1, referralId);
            List<ReferralEvent> events = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    events.add(new ReferralEvent(r.getString("referral_id"), ReferralStatus.valueOf(r.getString("status")),
                            Rows.time(r, "at"), r.getString("by_agency"), r.getString("reason"), r.getString("message_id")));
                }
            }
            return events;
        }
    }

    // ---------------------------------------------------------------- consent

    /**
     * Records that data of the accepted message {@code messageId} goes to {@code recipient} under the consent, so a
     * later withdrawal stops its undelivered copies and tells the recipient. Do not record it for the copies of a
     * CONSENT_WITHDRAWAL message itself: those must still be delivered after the withdrawal.
     */
    public void recordConsentUse(Connection c, String consentId, String referralId, String messageId,
                                 String recipient, Instant at) throws SQLException {
        recordConsentUse(c, consentId, referralId, messageId, recipient, at, null);
    }

    /** The same, with the consent's expiry (null: none known), which the delivery re-check holds each copy to. */
    public void recordConsentUse(Connection c, String consentId, String referralId, String messageId,
                                 String recipient, Instant at, Instant expiresAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO consent_use (consent_id, referral_id, message_id,"
                + " recipient, at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setString(1, consentId);
            s.setString(2, referralId);
            s.setString(3, messageId);
            s.setString(4, recipient);
            Rows.setTime(s, 5, at);
            Rows.setTime(s, 6, expiresAt);
            s.executeUpdate();
        }
    }

    /**
     * The agencies that hold data under the consent, as the store knows them: the senders of the referrals made under
     * it (who obtained it) and the recipients of those referrals. Sorted.
     */
    public java.util.SortedSet<String> consentHolders(Connection c, String consentId) throws SQLException {
        java.util.SortedSet<String> holders = new java.util.TreeSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT r.sender, u.recipient FROM consent_use u"
                + " LEFT JOIN referral r ON r.referral_id = u.referral_id WHERE u.consent_id = ?")) {
            s.setString(1, consentId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (r.getString(1) != null) {
                        holders.add(r.getString(1));
                    }
                    holders.add(r.getString(2));
                }
            }
        }
        return holders;
    }

    /** The newest referral that used the consent, if any (what a counter withdrawal names as its referral). */
    public Optional<String> lastReferralUnderConsent(Connection c, String consentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT referral_id FROM consent_use WHERE consent_id = ? ORDER BY at DESC, use_id DESC LIMIT 1")) {
            s.setString(1, consentId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Records a withdrawal (同意の撤回). From its commit on, no copy under the consent is claimed for delivery.
     *
     * @return true if it is the first withdrawal of this consent, false if it was already withdrawn (kept as it was)
     */
    public boolean recordWithdrawal(Connection c, String consentId, Instant withdrawnAt, String messageId)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO consent_withdrawal (consent_id, withdrawn_at,"
                + " message_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            s.setString(1, consentId);
            Rows.setTime(s, 2, withdrawnAt);
            s.setString(3, messageId);
            return s.executeUpdate() == 1;
        }
    }

    /** When the consent was withdrawn, or empty: what the consent engine's ledger asks. */
    public Optional<Instant> withdrawnAt(Connection c, String consentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT withdrawn_at FROM consent_withdrawal WHERE consent_id = ?")) {
            s.setString(1, consentId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(Rows.time(r, "withdrawn_at")) : Optional.empty();
            }
        }
    }

    /** {@link #cancelPendingUnderConsent(Connection, String, Instant)} now. */
    public List<OutboxItem> cancelPendingUnderConsent(Connection c, String consentId) throws SQLException {
        return cancelPendingUnderConsent(c, consentId, clock.instant());
    }

    /** The copies a withdrawal stopped, without payloads. */
    public List<OutboxItem> cancelPendingUnderConsent(Connection c, String consentId, Instant at) throws SQLException {
        return stopUnderConsent(c, consentId, at).stopped();
    }

    /**
     * What a withdrawal did to the copies under its consent: those it stopped, and those already on the wire, which
     * it cannot call back (audited as such; the withdrawal notice follows them in their queue).
     */
    public record Stopping(List<OutboxItem> stopped, List<OutboxItem> onTheWire) {
    }

    /**
     * Stops every undelivered copy of data sent under the consent that is not on the wire: PENDING rows become DEAD
     * with code {@value #CONSENT_WITHDRAWN}, and are never delivered after this commits (requeue refuses them; a
     * worker that had claimed one finds it no longer its own when it re-checks just before sending). A copy on the
     * wire (its worker's re-check committed, {@code sending_since} set, lease not over) cannot be called back: it is
     * left as it is and returned among {@code onTheWire}; its recipient is counted among those to tell
     * ({@link #recipientsThatReceivedUnderConsent}).
     */
    public Stopping stopUnderConsent(Connection c, String consentId, Instant at) throws SQLException {
        List<OutboxItem> pending;
        // no SKIP LOCKED: wait for a worker's claim or re-check transaction instead of missing its rows
        try (PreparedStatement s = c.prepareStatement("SELECT " + Rows.OUTBOX_COLUMNS + " FROM outbox o"
                + " WHERE o.status = 'PENDING' AND EXISTS (SELECT 1 FROM consent_use u WHERE u.consent_id = ? AND "
                + Rows.USES_OF_ROW + ") ORDER BY o.id FOR UPDATE")) {
            s.setString(1, consentId);
            pending = outboxRows(s);
        }
        List<OutboxItem> cancelled = new ArrayList<>();
        List<OutboxItem> onTheWire = new ArrayList<>();
        Instant deadAt = Rows.micros(at);
        // the condition is evaluated on the row as it is now, after the lock: a re-check that committed meanwhile counts
        try (PreparedStatement s = c.prepareStatement("UPDATE outbox SET status = 'DEAD', dead_at = ?,"
                + " last_error_code = ? WHERE id = ? AND status = 'PENDING'"
                + " AND (sending_since IS NULL OR claimed_until IS NULL OR claimed_until < ?)")) {
            for (OutboxItem item : pending) {
                Rows.setTime(s, 1, deadAt);
                s.setString(2, CONSENT_WITHDRAWN);
                s.setLong(3, item.id());
                Rows.setTime(s, 4, deadAt);
                if (s.executeUpdate() == 1) {
                    cancelled.add(new OutboxItem(item.id(), item.messageId(), item.originalMessageId(),
                            item.recipient(), item.referralId(), item.mediaType(), null, OutboxStatus.DEAD,
                            item.attempts(), item.nextAttemptAt(), item.claimedBy(), item.claimedUntil(),
                            CONSENT_WITHDRAWN, item.createdAt(), item.deliveredAt(), deadAt, item.orderKey(),
                            item.payloadPurgedAt()));
                } else {
                    findOutbox(c, item.messageId()).filter(now -> now.status() == OutboxStatus.PENDING)
                            .ifPresent(onTheWire::add);
                }
            }
        }
        return new Stopping(cancelled, onTheWire);
    }

    /**
     * The recipients that received, or may have received, data under the consent and so must be told of its
     * withdrawal: a copy delivered, or one whose delivery was attempted or in flight (a timeout or a crash leaves the
     * outcome unknown; telling one recipient too many is the safe side). Sorted by id.
     */
    public List<String> recipientsThatReceivedUnderConsent(Connection c, String consentId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT o.recipient FROM outbox o"
                + " WHERE EXISTS (SELECT 1 FROM consent_use u WHERE u.consent_id = ? AND " + Rows.USES_OF_ROW + ")"
                + " AND (o.delivered_at IS NOT NULL OR o.attempts > 0 OR o.claimed_by IS NOT NULL"
                + " OR o.sending_since IS NOT NULL)"
                + " ORDER BY o.recipient")) {
            s.setString(1, consentId);
            List<String> recipients = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    recipients.add(r.getString(1));
                }
            }
            return recipients;
        }
    }

    private static List<OutboxItem> outboxRows(PreparedStatement s) throws SQLException {
        List<OutboxItem> items = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                items.add(Rows.outboxItem(r, null));
            }
        }
        return items;
    }
}
