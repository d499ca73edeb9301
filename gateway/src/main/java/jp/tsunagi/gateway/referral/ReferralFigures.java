package jp.tsunagi.gateway.referral;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Read-only figures of the referral ledger for the dashboard (概要): ids, agencies, states and times, nothing about a person. */
public final class ReferralFigures {
    /** A referral escalated (督促) and still neither accepted nor declined. */
    public record Overdue(String referralId, String sender, String recipient, String status, LocalDate dueDate) {
    }

    /** One referral started: when and by which agency. */
    public record Started(Instant at, String sender) {
    }

    private ReferralFigures() {
    }

    /** How many referrals are in each status, most frequent first. */
    public static Map<String, Long> byStatus(Connection c) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT status, COUNT(*) AS n FROM referral GROUP BY status ORDER BY n DESC, status");
             ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
        }
        return counts;
    }

    public static List<Started> startedSince(Connection c, Instant since) throws SQLException {
        List<Started> started = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT created_at, sender FROM referral WHERE created_at >= ?")) {
            s.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    started.add(new Started(rows.getObject(1, OffsetDateTime.class).toInstant(), rows.getString(2)));
                }
            }
        }
        return started;
    }

    /** Escalated referrals whose recipient has still neither accepted nor declined, the longest overdue first. */
    public static List<Overdue> overdue(Connection c) throws SQLException {
        List<Overdue> overdue = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT r.referral_id, r.sender, r.recipient, r.status, e.due_date"
                + " FROM referral_escalation e JOIN referral r ON r.referral_id = e.referral_id"
                + " WHERE r.status IN ('SENT', 'RECEIVED') ORDER BY e.due_date, r.referral_id");
             ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                overdue.add(new Overdue(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getObject(5, LocalDate.class)));
            }
        }
        return overdue;
    }

}
