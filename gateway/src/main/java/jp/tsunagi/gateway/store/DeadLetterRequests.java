package jp.tsunagi.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The table {@code dead_letter_request}: each requeue or cancel of a dead letter an administrator asked for, with the
 * reason they gave, and how it ended. The audit entries name a request by id ({@code request:ID}); the reason, free
 * text, stays here.
 */
public final class DeadLetterRequests {
    public enum Action { REQUEUE, CANCEL }

    public enum State { AWAITING_APPROVAL, DONE, REFUSED }

    /** One request; {@code decidedBy} is the approving administrator under the two-person rule, {@code code} why refused. */
    public record Request(long id, long outboxId, Action action, String reason, String requestedBy, Instant requestedAt,
                          State state, String decidedBy, Instant decidedAt, String code) {
    }

    private static final String COLUMNS = "id, outbox_id, action, reason, requested_by, requested_at, state, decided_by,"
            + " decided_at, code";

    private DeadLetterRequests() {
    }

    /** Records a request; returns its id. */
    public static long add(Connection c, long outboxId, Action action, String reason, String requestedBy, Instant at,
                           State state, String code) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dead_letter_request (outbox_id, action, reason,"
                + " requested_by, requested_at, state, decided_at, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            s.setLong(1, outboxId);
            s.setString(2, action.name());
            s.setString(3, reason);
            s.setString(4, requestedBy);
            Rows.setTime(s, 5, at);
            s.setString(6, state.name());
            Rows.setTime(s, 7, state == State.AWAITING_APPROVAL ? null : at);
            s.setString(8, code);
            s.executeUpdate();
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** The request, its row locked until the transaction ends (two approvals of one request are ordered). */
    public static Optional<Request> lock(Connection c, long id) throws SQLException {
        List<Request> found = query(c, "SELECT " + COLUMNS + " FROM dead_letter_request WHERE id = ? FOR UPDATE", id);
        return found.stream().findFirst();
    }

    /** Ends a request awaiting approval. */
    public static void decide(Connection c, long id, State state, String decidedBy, Instant at, String code)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE dead_letter_request SET state = ?, decided_by = ?,"
                + " decided_at = ?, code = ? WHERE id = ? AND state = 'AWAITING_APPROVAL'")) {
            s.setString(1, state.name());
            s.setString(2, decidedBy);
            Rows.setTime(s, 3, at);
            s.setString(4, code);
            s.setLong(5, id);
            s.executeUpdate();
        }
    }

    /** Requests awaiting a second administrator's approval, oldest first. */
    public static List<Request> awaitingApproval(Connection c) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM dead_letter_request WHERE state = 'AWAITING_APPROVAL' AND id > ?"
                + " ORDER BY id", 0);
    }

    /** Every request about one outbox row, oldest first. */
    public static List<Request> ofCopy(Connection c, long outboxId) throws SQLException {
        return query(c, "SELECT " + COLUMNS + " FROM dead_letter_request WHERE outbox_id = ? ORDER BY id", outboxId);
    }

    private static List<Request> query(Connection c, String sql, long parameter) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, parameter);
            List<Request> requests = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    requests.add(new Request(r.getLong("id"), r.getLong("outbox_id"), Action.valueOf(r.getString("action")),
                            r.getString("reason"), r.getString("requested_by"), Rows.time(r, "requested_at"),
                            State.valueOf(r.getString("state")), r.getString("decided_by"), Rows.time(r, "decided_at"),
                            r.getString("code")));
                }
            }
            return requests;
        }
    }
}
