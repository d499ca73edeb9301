package jp.tsunagi.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Read-only figures of delivered copies for the dashboard (概要): when queued, when delivered, to which agency. */
public final class DeliveryFigures {
    public record Delivered(Instant queued, Instant delivered, String recipient) {
    }

    private DeliveryFigures() {
    }

    public static List<Delivered> deliveredSince(Connection c, Instant since) throws SQLException {
        List<Delivered> delivered = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT created_at, delivered_at, recipient FROM outbox"
                + " WHERE status = 'DELIVERED' AND delivered_at >= ?")) {
            s.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    delivered.add(new Delivered(Rows.time(rows, "created_at"), Rows.time(rows, "delivered_at"),
                            rows.getString("recipient")));
                }
            }
        }
        return delivered;
    }
}
