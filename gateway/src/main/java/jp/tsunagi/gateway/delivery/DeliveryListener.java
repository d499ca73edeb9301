package jp.tsunagi.gateway.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import jp.tsunagi.gateway.store.OutboxItem;

/**
 * Told of each delivery attempt and its outcome, INSIDE the transaction that records it on the outbox row, so the
 * audit entry and the row change commit together (the audit chain plugs in here). Items come without payload.
 * Throwing rolls the row change back: the row stays leased and is tried again after the lease (fail closed).
 */
public interface DeliveryListener {
    /** No-op listener. */
    DeliveryListener NONE = new DeliveryListener() {
    };

    /** One attempt was made; {@code attempt} counts from 1 since the row was queued (or requeued). */
    default void attempted(Connection c, OutboxItem item, int attempt, DeliveryResult result, Instant at)
            throws SQLException {
    }

    default void delivered(Connection c, OutboxItem item, Instant at) throws SQLException {
    }

    /**
     * The row became a dead letter: refused by the recipient, attempts exhausted, or stopped when claimed (consent
     * withdrawn, unreadable document). {@code code} is the row's last error code.
     */
    default void deadLettered(Connection c, OutboxItem item, String code, Instant at) throws SQLException {
    }
}
