package jp.tsunagi.gateway.delivery;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.tsunagi.gateway.store.OutboxItem;

/** Records what the workers report, as the audit chain would receive it. */
final class RecordingDeliveryListener implements DeliveryListener {
    record Event(String kind, String messageId, int attempt, String code, Instant at, boolean payloadShown,
                 boolean inTransaction) {
    }

    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public void attempted(Connection c, OutboxItem item, int attempt, DeliveryResult result, Instant at)
            throws java.sql.SQLException {
        events.add(new Event("attempted", item.messageId(), attempt, result.code(), at, item.payload() != null,
                !c.getAutoCommit()));
    }

    @Override
    public void delivered(Connection c, OutboxItem item, Instant at) throws java.sql.SQLException {
        events.add(new Event("delivered", item.messageId(), 0, null, at, item.payload() != null, !c.getAutoCommit()));
    }

    @Override
    public void deadLettered(Connection c, OutboxItem item, String code, Instant at) throws java.sql.SQLException {
        events.add(new Event("deadLettered", item.messageId(), 0, code, at, item.payload() != null,
                !c.getAutoCommit()));
    }

    List<Event> of(String kind, String messageId) {
        return events.stream().filter(e -> e.kind().equals(kind) && e.messageId().equals(messageId)).toList();
    }
}
