package jp.tsunagi.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jp.tsunagi.schema.model.ReferralStatus;

/**
 * Read-only queries for operators (運用): referrals by state, sender, recipient and age, a referral's history, and the
 * outbox rows about it or in a state. Never a payload; it writes nothing (the referral ledger owns the referral
 * tables, the delivery workers the outbox).
 */
public final class ReferralView {
    /** Which outbox rows: {@code pending} (never tried), {@code retrying}, {@code dead} (incl. cancelled), {@code delivered}. */
    public enum CopyFilter {
        PENDING("o.status = 'PENDING' AND o.attempts = 0"),
        RETRYING("o.status = 'PENDING' AND o.attempts > 0"),
        DEAD("o.status = 'DEAD'"),
        DELIVERED("o.status = 'DELIVERED'");

        private final String where;

        CopyFilter(String where) {
            this.where = where;
        }
    }

    /** Referrals to list: each field null for any; {@code createdBefore} selects the older ones. */
    public record Filter(ReferralStatus status, String sender, String recipient, Instant createdBefore) {
    }

    private static final String COPY_COLUMNS = "o.id, o.message_id, o.recipient, o.referral_id, o.status, o.attempts,"
            + " o.last_error_code, o.created_at, o.next_attempt_at, o.delivered_at, o.dead_at, o.cancelled_at,"
            + " CASE WHEN r.copy_message_id = o.message_id THEN 1 ELSE 0 END AS own"
            + " FROM outbox o LEFT JOIN referral r ON r.referral_id = o.referral_id";

    private ReferralView() {
    }

    /** Up to {@code limit} referrals matching the filter, the most recently changed first. */
    public static List<ReferralRecord> referrals(Connection c, Filter f, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT referral_id, sender, recipient, status, consent_id, subject_ref,"
                + " created_at, updated_at FROM referral WHERE 1 = 1");
        List<Object> values = new ArrayList<>();
        if (f.status() != null) {
            sql.append(" AND status = ?");
            values.add(f.status().name());
        }
        if (f.sender() != null) {
            sql.append(" AND sender = ?");
            values.add(f.sender());
        }
        if (f.recipient() != null) {
            sql.append(" AND recipient = ?");
            values.add(f.recipient());
        }
        if (f.createdBefore() != null) {
            sql.append(" AND created_at < ?");
            values.add(f.createdBefore());
        }
        sql.append(" ORDER BY updated_at DESC, referral_id LIMIT ?");
        values.add(limit);
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                if (v instanceof Instant at) {
                    Rows.setTime(s, i + 1, at);
                } else if (v instanceof Integer n) {
                    s.setInt(i + 1, n);
                } else {
                    s.setString(i + 1, (String) v);
                }
            }
            List<ReferralRecord> referrals = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    referrals.add(referral(r));
                }
            }
            return referrals;
        }
    }

    public static Optional<ReferralRecord> referral(Connection c, String referralId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT referral_id, sender, recipient, status, consent_id,"
                + " subject_ref, created_at, updated_at FROM referral WHERE referral_id = ?")) {
            s.setString(1, referralId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(referral(r)) : Optional.empty();
            }
        }
    }

    /** The referral's business states, oldest first. */
    public static List<ReferralEvent> history(Connection c, String referralId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT status, at, by_agency, reason, message_id FROM referral_event"
                + " WHERE referral_id = ? ORDER BY event_id")) {
            s.setString(1, referralId);
            List<ReferralEvent> events = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    events.add(new ReferralEvent(referralId, ReferralStatus.valueOf(r.getString("status")),
                            Rows.time(r, "at"), r.getString("by_agency"), r.getString("reason"), r.getString("message_id")));
                }
            }
            return events;
        }
    }

    /** Every outbox row about the referral (its copy, updates, notices), oldest first. */
    public static List<CopyState> copies(Connection c, String referralId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COPY_COLUMNS + " WHERE o.referral_id = ? ORDER BY o.id")) {
            s.setString(1, referralId);
            return copies(s);
        }
    }

    /** One outbox row. */
    public static Optional<CopyState> copy(Connection c, long id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COPY_COLUMNS + " WHERE o.id = ?")) {
            s.setLong(1, id);
            return copies(s).stream().findFirst();
        }
    }

    /** Up to {@code limit} outbox rows in the state (null: all) with an id above {@code afterId}, by id. */
    public static List<CopyState> copies(Connection c, CopyFilter filter, long afterId, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COPY_COLUMNS + " WHERE o.id > ?"
                + (filter == null ? "" : " AND " + filter.where) + " ORDER BY o.id LIMIT ?")) {
            s.setLong(1, afterId);
            s.setInt(2, limit);
            return copies(s);
        }
    }

    private static List<CopyState> copies(PreparedStatement s) throws SQLException {
        List<CopyState> copies = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                copies.add(new CopyState(r.getLong("id"), r.getString("message_id"), r.getString("recipient"),
                        r.getString("referral_id"), OutboxStatus.valueOf(r.getString("status")), r.getInt("attempts"),
                        r.getString("last_error_code"), Rows.time(r, "created_at"), Rows.time(r, "next_attempt_at"),
                        Rows.time(r, "delivered_at"), Rows.time(r, "dead_at"), Rows.time(r, "cancelled_at"),
                        r.getInt("own") == 1));
            }
        }
        return copies;
    }

    private static ReferralRecord referral(ResultSet r) throws SQLException {
        return new ReferralRecord(r.getString("referral_id"), r.getString("sender"), r.getString("recipient"),
                ReferralStatus.valueOf(r.getString("status")), r.getString("consent_id"), r.getString("subject_ref"),
                Rows.time(r, "created_at"), Rows.time(r, "updated_at"));
    }
}
