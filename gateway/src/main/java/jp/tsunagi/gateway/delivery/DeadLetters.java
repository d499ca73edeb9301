package jp.tsunagi.gateway.delivery;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import jp.tsunagi.gateway.policy.CopyLawfulness;
import jp.tsunagi.gateway.store.DeadLetter;
import jp.tsunagi.gateway.store.OutboxQueue;
import jp.tsunagi.gateway.store.OutboxQueue.RequeueOutcome;
import jp.tsunagi.gateway.store.Transactions;

/**
 * Dead letters (配信不能) for the administrator: forwarded copies the workers gave up on. Listing shows ids, codes and
 * attempt counts, never payloads. Requeueing puts one back in its queue (PENDING, attempts 0, due now), once the cause
 * is fixed (the recipient's system is back, its endpoint corrected), after re-checking its lawful basis as the workers
 * do before sending ({@link CopyLawfulness#requeueRefusal}): a copy whose consent was withdrawn or has expired, or to a
 * suspended recipient, is refused with that code. A copy stopped by a consent withdrawal is never requeued, nor one
 * whose document retention has already removed, nor one an administrator cancelled.
 */
public final class DeadLetters {
    /** Told of each requeue inside its transaction, with who asked (the audit plugs in here). */
    @FunctionalInterface
    public interface Listener {
        void requeued(Connection c, DeadLetter letter, String requestedBy) throws SQLException;

        Listener NONE = (c, letter, requestedBy) -> { };
    }

    /** What a requeue came to; {@code code} is the lawfulness code when the outcome is {@code NOT_LAWFUL}. */
    public record Requeue(RequeueOutcome outcome, String code) {
        public boolean requeued() {
            return outcome == RequeueOutcome.REQUEUED;
        }
    }

    private final DataSource dataSource;
    private final OutboxQueue queue;
    private final CopyLawfulness lawfulness;
    private final Set<String> suspended;
    private final Clock clock;
    private final Listener listener;

    public DeadLetters(DataSource dataSource, OutboxQueue queue, Clock clock, Listener listener) {
        this(dataSource, queue, new CopyLawfulness(), Set.of(), clock, listener);
    }

    /** @param suspendedRecipients agencies suspended in agencies.yaml: nothing is requeued to them */
    public DeadLetters(DataSource dataSource, OutboxQueue queue, CopyLawfulness lawfulness, Set<String> suspendedRecipients,
                       Clock clock, Listener listener) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.lawfulness = Objects.requireNonNull(lawfulness, "lawfulness");
        this.suspended = Set.copyOf(suspendedRecipients);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Up to {@code limit} dead letters with an id above {@code afterId} (0 for the first page), oldest first. */
    public List<DeadLetter> list(long afterId, int limit) throws SQLException {
        return Transactions.inTransaction(dataSource, c -> queue.deadLetters(c, afterId, limit));
    }

    /** One dead letter (not cancelled), if {@code id} is one. */
    public Optional<DeadLetter> find(Connection c, long id) throws SQLException {
        return queue.deadLetter(c, id);
    }

    /**
     * Requeues the dead outbox row {@code id}; the delivery workers send it again soon (wake them for at once).
     *
     * @param requestedBy the administrator, for the audit
     */
    public RequeueOutcome requeue(long id, String requestedBy) throws SQLException {
        return Transactions.inTransaction(dataSource, c -> requeue(c, id, requestedBy).outcome());
    }

    /** {@link #requeue(long, String)} inside the caller's transaction, with the refusal's code. */
    public Requeue requeue(Connection c, long id, String requestedBy) throws SQLException {
        // as it was before: the requeue clears its code and dead time
        Optional<DeadLetter> before = queue.deadLetter(c, id);
        if (before.isPresent()) {
            OutboxQueue.SendCheck facts = queue.consentFacts(c, id);
            String refusal = lawfulness.requeueRefusal(new CopyLawfulness.Copy(before.get().recipient(),
                    facts.consentWithdrawnAt(), facts.consentExpiresAt()), suspended.contains(before.get().recipient()),
                    clock.instant());
            if (refusal != null) {
                return new Requeue(RequeueOutcome.NOT_LAWFUL, refusal);
            }
        }
        RequeueOutcome outcome = queue.requeue(c, id, clock.instant());
        if (outcome == RequeueOutcome.REQUEUED) {
            listener.requeued(c, before.orElseThrow(), requestedBy);
        }
        return new Requeue(outcome, null);
    }

    /** Cancels the dead outbox row {@code id} (配信取消), inside the caller's transaction: false if it is none. */
    public boolean cancel(Connection c, long id) throws SQLException {
        return queue.cancel(c, id, clock.instant());
    }
}
