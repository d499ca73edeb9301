package jp.tsunagi.gateway.delivery;

import jp.tsunagi.gateway.store.OutboxItem;

/**
 * How a forwarded copy reaches its recipient's system (HTTP today; file drops or queues later). Called outside any
 * database transaction. Must not throw: every failure is a {@link DeliveryResult} (a thrown exception counts as a
 * retryable {@code transport.error}). The recipient dedups by {@link OutboxItem#messageId()}, as a copy can be sent
 * twice when a worker crashes between sending and recording.
 */
@FunctionalInterface
public interface Transport {
    DeliveryResult deliver(OutboxItem item);
}
