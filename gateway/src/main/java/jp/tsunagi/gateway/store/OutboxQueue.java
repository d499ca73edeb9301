package jp.tsunagi.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outbox as the delivery workers and the administrator use it: claim due rows under a lease, record each
 * outcome, list and requeue dead letters. Each method works inside the caller's transaction.
 *
 * <p>A worker updates a row only while it still holds the lease ({@code claimed_by} = itself, status PENDING): a
 * worker that stalled past its lease, or a row cancelled by a consent withdrawal meanwhile, cannot overwrite what
 * happened since.
 */
public final class OutboxQueue {
    /** Last error code of a row whose stored document does not decrypt (altered, or another store key). */
    public static final String PAYLOAD_UNREADABLE = "store.payload-unreadable";

    /** A claimed row's columns, its document, and whether a consent it travels under was withdrawn. */
    private static final String CLAIMED = "SELECT " + Rows.OUTBOX_COLUMNS + ", o.payload_enc,"
            + " CASE WHEN EXISTS (SELECT 1 FROM consent_use u JOIN consent_withdrawal w ON w.consent_id = u.consent_id"
            + " WHERE " + Rows.USES_OF_ROW + ") THEN 1 ELSE 0 END AS withdrawn FROM outbox o";

    /**
     * The due rows at the head of their queue, oldest first, in the alias {@code x}. A row waits while an earlier row of
     * its (referral, recipient) is PENDING (due later, being retried or leased): messages about one referral arrive in
     * order. DEAD rows do not block. {@code %s}: the held recipients' condition, if any. Parameters: now, now, the
     * held recipients, the limit.
     */
    private static String due(String x) {
        return " WHERE " + x + ".status = 'PENDING' AND " + x + ".next_attempt_at <= ?"
                + " AND (" + x + ".claimed_until IS NULL OR " + x + ".claimed_until < ?)"
                + " AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.referral_id = " + x + ".referral_id"
                + " AND p.recipient = " + x + ".recipient AND p.order_key < " + x + ".order_key AND p.status = 'PENDING')"
                // status first, though it is constant: only then does H2 read the index in order and stop at the limit
                // instead of sorting the whole backlog (7,905 rows read for 10 in the soak)
                + "%s ORDER BY " + x + ".status, " + x + ".next_attempt_at, " + x + ".id LIMIT ?";
    }

    /**
     * The claim on PostgreSQL: the due rows, locked. SKIP LOCKED: a row another worker is claiming right now is passed
     * over instead of waited for, and PostgreSQL locks only the rows it returns. The consent check is a second line
     * behind {@link MessageStore#cancelPendingUnderConsent}: it also catches a row enqueued by a transaction that
     * raced with the withdrawal.
     */
    private static final String CLAIM_POSTGRES = CLAIMED + due("o") + " FOR UPDATE SKIP LOCKED";

    /**
     * The claim on H2, which locks every row an {@code ORDER BY ... LIMIT ... FOR UPDATE} reads, not only those it
     * returns, and a lock rewrites the row on disk: with a backlog of a thousand copies each claim wrote megabytes,
     * and the file grew faster than H2 could reclaim it. So the due rows are chosen first and only they are locked,
     * their lease checked again (one more parameter: now; the lease update checks the rest). Two workers may choose the same rows; the
     * second then takes none of them and looks again at its next wake-up.
     */
    private static final String CLAIM_H2 = CLAIMED + " WHERE o.id IN (SELECT c.id FROM outbox c" + due("c") + ")"
            + " AND (o.claimed_until IS NULL OR o.claimed_until < ?)" // no status here: H2 then reads by primary key
            + " ORDER BY o.next_attempt_at, o.id FOR UPDATE SKIP LOCKED";

    /** Only if still free: the lock above already excludes other claimers; this guard keeps it correct without. */
    private static final String LEASE = "UPDATE outbox SET claimed_by = ?, claimed_until = ?, sending_since = NULL WHERE id = ?"
            + " AND status = 'PENDING' AND (claimed_until IS NULL OR claimed_until < ?)";

    private static final String HELD = " WHERE id = ? AND status = 'PENDING' AND claimed_by = ?";

    /**
     * What the worker holding a row finds just before sending it: whether the row is still its own (not stopped by a
     * withdrawal, lease not lost) and the facts its lawfulness is judged by: when a consent it travels under was
     * withdrawn (null: not) and the earliest expiry of those consents (null: none known).
     */
    public record SendCheck(boolean held, Instant consentWithdrawnAt, Instant consentExpiresAt) {
    }

    /** The rows one claim leased, and those it dead-lettered instead (consent withdrawn, unreadable document). */
    public record Claim(List<OutboxItem> leased, List<OutboxItem> deadLettered) {
    }

    /** What a requeue request came to. */
    public enum RequeueOutcome {
        REQUEUED,
        NOT_FOUND,
        /** only dead rows are requeued */
        NOT_DEAD,
        /** stopped by a consent withdrawal: it must never be delivered */
        CONSENT_WITHDRAWN,
        /** retention already removed the document */
        PAYLOAD_PURGED,
        /** an administrator cancelled it: it stays a dead letter */
        CANCELLED,
        /** its lawful basis no longer holds (consent expired or withdrawn, recipient suspended): see the code */
        NOT_LAWFUL
    }

    private final PayloadCipher cipher;
    /** Recipients whose copies are held (suspended agencies): their rows stay PENDING and untried, never claimed. */
    private final List<String> held;

    public OutboxQueue(PayloadCipher cipher) {
        this(cipher, Set.of());
    }

    /** @param heldRecipients agencies suspended in agencies.yaml: copies to them wait until a gateway runs without them */
    public OutboxQueue(PayloadCipher cipher, Set<String> heldRecipients) {
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.held = List.copyOf(heldRecipients);
    }

    /** The claim query for the database, for the test that reads its plan too. */
    String claimSql(boolean postgres) {
        return postgres ? String.format(CLAIM_POSTGRES, passingOverHeld("o")) : String.format(CLAIM_H2, passingOverHeld("c"));
    }

    private String passingOverHeld(String x) {
        return held.isEmpty() ? "" : " AND " + x + ".recipient NOT IN (" + String.join(", ", Collections.nCopies(held.size(), "?")) + ")";
    }

    /**
     * Leases up to {@code limit} due rows to {@code workerId} until {@code now + lease}, with their documents
     * decrypted. At most one row per (referral, recipient): the head of each queue. Rows to held recipients are
     * passed over (not leased, not tried, not dead-lettered).
     */
    public Claim claim(Connection c, String workerId, Instant now, Duration lease, int limit) throws SQLException {
        Instant at = Rows.micros(now);
        Instant until = Rows.micros(now.plus(lease));
        List<OutboxItem> leased = new ArrayList<>();
        List<OutboxItem> dead = new ArrayList<>();
        boolean postgres = Database.isPostgres(c);
        try (PreparedStatement select = c.prepareStatement(claimSql(postgres));
             PreparedStatement take = c.prepareStatement(LEASE)) {
            Rows.setTime(select, 1, at);
            Rows.setTime(select, 2, at);
            for (int i = 0; i < held.size(); i++) {
                select.setString(3 + i, held.get(i));
            }
            select.setInt(3 + held.size(), limit);
            if (!postgres) {
                Rows.setTime(select, 4 + held.size(), at);
            }
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    OutboxItem row = Rows.outboxItem(r, null);
                    if (r.getInt("withdrawn") == 1) {
                        dead.addAll(deadOnClaim(c, row, at, MessageStore.CONSENT_WITHDRAWN));
                        continue;
                    }
                    byte[] payload = readable(r.getBytes("payload_enc"), row);
                    if (payload == null) {
                        // retrying cannot help and would block the queue behind it: an administrator must look
                        dead.addAll(deadOnClaim(c, row, at, PAYLOAD_UNREADABLE));
                        continue;
                    }
                    take.setString(1, workerId);
                    Rows.setTime(take, 2, until);
                    take.setLong(3, row.id());
                    Rows.setTime(take, 4, at);
                    if (take.executeUpdate() == 1) {
                        leased.add(new OutboxItem(row.id(), row.messageId(), row.originalMessageId(), row.recipient(),
                                row.referralId(), row.mediaType(), payload, row.status(), row.attempts(),
                                row.nextAttemptAt(), workerId, until, row.lastErrorCode(), row.createdAt(),
                                row.deliveredAt(), row.deadAt(), row.orderKey(), row.payloadPurgedAt()));
                    }
                }
            }
        }
        return new Claim(leased, dead);
    }

    private byte[] readable(byte[] stored, OutboxItem row) {
        if (stored == null) {
            return null;
        }
        try {
            return cipher.decrypt(stored, Rows.outboxPayloadAad(row.messageId()));
        } catch (UnreadablePayloadException e) {
            return null;
        }
    }

    private static List<OutboxItem> deadOnClaim(Connection c, OutboxItem row, Instant at, String code)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE outbox SET status = 'DEAD', dead_at = ?,"
                + " last_error_code = ? WHERE id = ? AND status = 'PENDING'")) {
            Rows.setTime(s, 1, at);
            s.setString(2, code);
            s.setLong(3, row.id());
            if (s.executeUpdate() != 1) {
                return List.of();
            }
        }
        return List.of(new OutboxItem(row.id(), row.messageId(), row.originalMessageId(), row.recipient(),
                row.referralId(), row.mediaType(), null, OutboxStatus.DEAD, row.attempts(), row.nextAttemptAt(),
                row.claimedBy(), row.claimedUntil(), code, row.createdAt(), row.deliveredAt(), at, row.orderKey(),
                row.payloadPurgedAt()));
    }

    /**
     * The re-check just before a copy goes on the wire, inside the caller's transaction: the row is locked (a
     * withdrawal locks it too, so the two are ordered) and marked as being sent ({@code sending_since}) if this worker
     * still holds it. The caller judges the returned facts and, if the copy is no longer lawful, {@link #stop}s it in
     * the same transaction; the mark is then undone with the rest.
     */
    public SendCheck beginSend(Connection c, OutboxItem item, String workerId, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE outbox SET sending_since = ?" + HELD)) {
            Rows.setTime(s, 1, at);
            s.setLong(2, item.id());
            s.setString(3, workerId);
            if (s.executeUpdate() != 1) {
                return new SendCheck(false, null, null);
            }
        }
        return consentFacts(c, item.id());
    }

    /**
     * The facts a copy's lawfulness is judged by (when a consent it travels under was withdrawn, the earliest expiry
     * of those consents), for the row {@code id}: read just before sending, and before a dead letter is requeued.
     */
    public SendCheck consentFacts(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MIN(w.withdrawn_at) AS withdrawn_at,"
                + " MIN(u.expires_at) AS expires_at FROM outbox o JOIN consent_use u ON " + Rows.USES_OF_ROW
                + " LEFT JOIN consent_withdrawal w ON w.consent_id = u.consent_id WHERE o.id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new SendCheck(true, Rows.time(r, "withdrawn_at"), Rows.time(r, "expires_at"))
                        : new SendCheck(true, null, null);
            }
        }
    }

    /** Stops a row this worker holds without sending it (no longer lawful): a dead letter with that code. */
    public boolean stop(Connection c, OutboxItem item, String workerId, Instant at, String code) throws SQLException {
        return releaseWith(c, "status = 'DEAD', dead_at = ?, last_error_code = ?", at, code, item, workerId);
    }

    /**
     * Records a delivery that succeeded. If the row was cancelled by a consent withdrawal while it was in flight, it
     * stays DEAD but gets its delivered_at, so the recipient is among those told of the withdrawal.
     *
     * @return whether the row recorded it (false: the lease was lost to another worker, whose outcome counts)
     */
    public boolean markDelivered(Connection c, OutboxItem item, String workerId, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE outbox SET status = 'DELIVERED', delivered_at = ?,"
                + " attempts = attempts + 1, last_error_code = NULL, claimed_by = NULL, claimed_until = NULL,"
                + " sending_since = NULL" + HELD)) {
            Rows.setTime(s, 1, at);
            s.setLong(2, item.id());
            s.setString(3, workerId);
            if (s.executeUpdate() == 1) {
                return true;
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE outbox SET delivered_at = ?, attempts = attempts + 1"
                + " WHERE id = ? AND status = 'DEAD' AND delivered_at IS NULL AND claimed_by = ?")) {
            Rows.setTime(s, 1, at);
            s.setLong(2, item.id());
            s.setString(3, workerId);
            return s.executeUpdate() == 1;
        }
    }

    /** Records a failed attempt and when to try again; the lease ends. */
    public boolean scheduleRetry(Connection c, OutboxItem item, String workerId, Instant next, String code)
            throws SQLException {
        return releaseWith(c, "attempts = attempts + 1, next_attempt_at = ?, last_error_code = ?", next, code, item, workerId);
    }

    /** Records a last, failed attempt: the row becomes a dead letter. */
    public boolean markDead(Connection c, OutboxItem item, String workerId, Instant at, String code)
            throws SQLException {
        return releaseWith(c, "status = 'DEAD', dead_at = ?, attempts = attempts + 1, last_error_code = ?", at, code, item, workerId);
    }

    /** Updates a row this worker holds ({@code assignments} set a time and a code), ending its lease. */
    private static boolean releaseWith(Connection c, String assignments, Instant time, String code, OutboxItem item,
            String workerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE outbox SET " + assignments
                + ", claimed_by = NULL, claimed_until = NULL, sending_since = NULL" + HELD)) {
            Rows.setTime(s, 1, time);
            s.setString(2, code);
            s.setLong(3, item.id());
            s.setString(4, workerId);
            return s.executeUpdate() == 1;
        }
    }

    /** Gives a leased row back untried (the worker is stopping), so another worker need not wait out the lease. */
    public boolean release(Connection c, OutboxItem item, String workerId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, sending_since = NULL" + HELD)) {
            s.setLong(1, item.id());
            s.setString(2, workerId);
            return s.executeUpdate() == 1;
        }
    }

    /** One row without its document. */
    public Optional<OutboxItem> find(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + Rows.OUTBOX_COLUMNS + " FROM outbox o WHERE o.id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(Rows.outboxItem(r, null)) : Optional.empty();
            }
        }
    }

    /** One dead row, if {@code id} is one. */
    public Optional<DeadLetter> deadLetter(Connection c, long id) throws SQLException {
        return deadLetters(c, id - 1, 1).stream().filter(d -> d.id() == id).findFirst();
    }

    /** Dead rows (not cancelled) with an id above {@code afterId}, oldest first, at most {@code limit}: ids and codes, no payload. */
    public List<DeadLetter> deadLetters(Connection c, long afterId, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, message_id, original_message_id, recipient,"
                + " referral_id, attempts, last_error_code, created_at, dead_at, payload_enc IS NULL AS purged"
                + " FROM outbox WHERE status = 'DEAD' AND cancelled_at IS NULL AND id > ? ORDER BY id LIMIT ?")) {
            s.setLong(1, afterId);
            s.setInt(2, limit);
            List<DeadLetter> letters = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    letters.add(new DeadLetter(r.getLong("id"), r.getString("message_id"),
                            r.getString("original_message_id"), r.getString("recipient"), r.getString("referral_id"),
                            r.getInt("attempts"), r.getString("last_error_code"), Rows.time(r, "created_at"),
                            Rows.time(r, "dead_at"), r.getBoolean("purged")));
                }
            }
            return letters;
        }
    }

    /**
     * Puts a dead row back in its queue: PENDING, attempts 0, due {@code now}. Refused for a row stopped by a consent
     * withdrawal (or whose consent has since been withdrawn) and for one whose document retention removed.
     */
    public RequeueOutcome requeue(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT o.status, o.last_error_code, o.payload_enc IS NULL AS purged,"
                + " o.cancelled_at,"
                + " CASE WHEN EXISTS (SELECT 1 FROM consent_use u JOIN consent_withdrawal w"
                + " ON w.consent_id = u.consent_id WHERE " + Rows.USES_OF_ROW + ") THEN 1 ELSE 0 END AS withdrawn"
                + " FROM outbox o WHERE o.id = ? FOR UPDATE")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return RequeueOutcome.NOT_FOUND;
                }
                if (!OutboxStatus.DEAD.name().equals(r.getString("status"))) {
                    return RequeueOutcome.NOT_DEAD;
                }
                if (Rows.time(r, "cancelled_at") != null) {
                    return RequeueOutcome.CANCELLED;
                }
                if (MessageStore.CONSENT_WITHDRAWN.equals(r.getString("last_error_code")) || r.getInt("withdrawn") == 1) {
                    return RequeueOutcome.CONSENT_WITHDRAWN;
                }
                if (r.getBoolean("purged")) {
                    return RequeueOutcome.PAYLOAD_PURGED;
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE outbox SET status = 'PENDING', attempts = 0,"
                + " next_attempt_at = ?, dead_at = NULL, last_error_code = NULL, claimed_by = NULL,"
                + " claimed_until = NULL, sending_since = NULL WHERE id = ? AND status = 'DEAD'")) {
            Rows.setTime(s, 1, now);
            s.setLong(2, id);
            return s.executeUpdate() == 1 ? RequeueOutcome.REQUEUED : RequeueOutcome.NOT_DEAD;
        }
    }

    /**
     * Cancels a dead row (配信取消): it stays DEAD, leaves the list of dead letters and can no longer be requeued.
     *
     * @return false if {@code id} is no dead row, or one already cancelled
     */
    public boolean cancel(Connection c, long id, Instant at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE outbox SET cancelled_at = ? WHERE id = ? AND status = 'DEAD' AND cancelled_at IS NULL")) {
            Rows.setTime(s, 1, at);
            s.setLong(2, id);
            return s.executeUpdate() == 1;
        }
    }
}
