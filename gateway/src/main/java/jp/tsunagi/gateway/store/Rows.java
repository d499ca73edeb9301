package jp.tsunagi.gateway.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The few conversions every table needs, the same on H2 and PostgreSQL. */
final class Rows {
    /** The columns of an outbox row except the payload, prefixed {@code o.}. */
    static final String OUTBOX_COLUMNS = "o.id, o.message_id, o.original_message_id, o.recipient, o.referral_id,"
            + " o.media_type, o.status, o.attempts, o.next_attempt_at, o.claimed_by, o.claimed_until,"
            + " o.last_error_code, o.created_at, o.delivered_at, o.dead_at, o.order_key, o.payload_purged_at";

    /** Consent uses of an outbox row: by the accepted message it came from or by its own id. */
    static final String USES_OF_ROW = "(u.message_id = o.original_message_id OR u.message_id = o.message_id)";

    private Rows() {
    }

    /** Both databases keep microseconds: truncating first makes what is read back equal what was written. */
    static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    static void setTime(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(micros(instant), ZoneOffset.UTC));
        }
    }

    static Instant time(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static String messagePayloadAad(String messageId) {
        return "message.payload_enc:" + messageId;
    }

    static String messageReceiptAad(String messageId) {
        return "message.receipt_enc:" + messageId;
    }

    static String outboxPayloadAad(String outboxMessageId) {
        return "outbox.payload_enc:" + outboxMessageId;
    }

    /** An outbox row selected with {@link #OUTBOX_COLUMNS}; the payload as given (decrypted or null). */
    static OutboxItem outboxItem(ResultSet rows, byte[] payload) throws SQLException {
        return new OutboxItem(rows.getLong("id"), rows.getString("message_id"), rows.getString("original_message_id"),
                rows.getString("recipient"), rows.getString("referral_id"), rows.getString("media_type"), payload,
                OutboxStatus.valueOf(rows.getString("status")), rows.getInt("attempts"),
                time(rows, "next_attempt_at"), rows.getString("claimed_by"), time(rows, "claimed_until"),
                rows.getString("last_error_code"), time(rows, "created_at"), time(rows, "delivered_at"),
                time(rows, "dead_at"), rows.getLong("order_key"), time(rows, "payload_purged_at"));
    }

    /** SQLSTATE 23505, unique violation, on both databases. */
    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
