package jp.tsunagi.gateway.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import jp.tsunagi.gateway.store.DeadLetter;
import jp.tsunagi.gateway.store.OutboxQueue;
import jp.tsunagi.gateway.store.OutboxQueue.RequeueOutcome;
import jp.tsunagi.gateway.store.Transactions;

/**
 * Dead letters (配信不能) for the administrator: forwarded copies the workers gave up on. Listing shows ids, codes and
 * attempt counts, never payloads. Requeueing puts one back in its queue (PENDING, attempts 0, due now), once the cause
 * is fixed (the recipient's system is back, its endpoint corrected). A copy stopped by a consent withdrawal is never
 * requeued, nor one whose document retention has already removed.
 */
public final class DeadLetters {
    /** Told of each requeue inside its transaction, with who asked (the audit plugs in here). */
    @FunctionalInterface
    public interface Listener {
        void requeued(Connection c, DeadLetter letter, String requestedBy) throws SQLException;

        Listener NONE = (c, letter, requestedBy) -> { };
    }

    private final DataSource dataSource;
    private final OutboxQueue queue;
    private final Clock clock;
    private final Listener listener;

    public DeadLetters(DataSource dataSource, OutboxQueue queue, Clock clock, Listener listener) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Up to {@code limit} dead letters with an id above {@code afterId} (0 for the first page), oldest first. */
    public List<DeadLetter> list(long afterId, int limit) throws SQLException {
        return Transactions.inTransaction(dataSource, c -> queue.deadLetters(c, afterId, limit));
    }

    /**
     * Requeues the dead outbox row {@code id}; the delivery workers send it again soon (wake them for at once).
     *
     * @param requestedBy the administrator, for the audit
     */
    public RequeueOutcome requeue(long id, String requestedBy) throws SQLException {
        return Transactions.inTransaction(dataSource, c -> {
            // as it was before: the requeue clears its code and dead time
            Optional<DeadLetter> before = queue.deadLetter(c, id);
            RequeueOutcome outcome = queue.requeue(c, id, clock.instant());
            if (outcome == RequeueOutcome.REQUEUED) {
                listener.requeued(c, before.orElseThrow(), requestedBy);
            }
            return outcome;
        });
    }
}
