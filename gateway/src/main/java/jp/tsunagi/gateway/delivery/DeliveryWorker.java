package jp.tsunagi.gateway.delivery;

import java.lang.management.ManagementFactory;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import jp.tsunagi.gateway.policy.CopyLawfulness;
import jp.tsunagi.gateway.store.OutboxItem;
import jp.tsunagi.gateway.store.OutboxQueue;
import jp.tsunagi.gateway.store.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery workers (配信): threads that take due rows from the outbox and deliver them, so an accepted message
 * reaches its recipient even if the recipient is down for hours or the gateway restarts in between.
 *
 * <p>Each worker, in a loop: claims a small batch of due rows under a lease (one transaction); for each row, re-checks
 * just before sending, in one short transaction that locks the row as a withdrawal does, that the worker still holds
 * it and that the copy is still lawful ({@link CopyLawfulness}), and marks it as on the wire (a copy that is no longer
 * lawful is stopped there and never sent); delivers it through the {@link Transport} (outside any transaction); then
 * records the outcome on the row and tells the {@link DeliveryListener} (one transaction per row). A retryable failure is tried again after an exponential backoff
 * with full jitter, until {@link DeliveryConfig#maxAttempts()}; then, or at once on a permanent failure, the row
 * becomes a dead letter. Rows of one (referral, recipient) go one after the other, in the order they were queued.
 *
 * <p>A crash at any point loses nothing: an unrecorded attempt leaves the row leased, and another worker (or this one
 * after a restart) takes it again when the lease ends; the recipient dedups the second copy by its Idempotency-Key.
 * Logs name rows by id and codes only, never payloads.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private final DataSource dataSource;
    private final OutboxQueue queue;
    private final Transport transport;
    private final DeliveryListener listener;
    private final DeliveryConfig config;
    private final CopyLawfulness lawfulness;
    private final Backoff backoff;
    private final Clock clock;
    private final String name;
    /** Wake-ups for idle workers: released by {@link #wakeUp()} and {@link #stop()}. */
    private final Semaphore wakeUps = new Semaphore(0);
    /**
     * This process's workers claim one after the other, each seeing the leases of the one before: on H2 two claims at
     * once chose the same rows, and the second took none (OutboxQueue), so four workers delivered like one. A claim
     * reads a few rows and commits at once; other nodes still claim beside these (SKIP LOCKED).
     */
    private final Object claiming = new Object();
    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile boolean running;
    private ExecutorService threads;

    public DeliveryWorker(DataSource dataSource, OutboxQueue queue, Transport transport, DeliveryListener listener,
                          DeliveryConfig config, Clock clock) {
        this(dataSource, queue, transport, listener, config, new CopyLawfulness(), clock);
    }

    public DeliveryWorker(DataSource dataSource, OutboxQueue queue, Transport transport, DeliveryListener listener,
                          DeliveryConfig config, CopyLawfulness lawfulness, Clock clock) {
        this.lawfulness = Objects.requireNonNull(lawfulness, "lawfulness");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.backoff = config.backoff();
        // pid@host plus a random part: unique per process, and says where a lease holder ran
        String process = ManagementFactory.getRuntimeMXBean().getName();
        String id = process + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.name = id.length() > 100 ? id.substring(id.length() - 100) : id;
    }

    /** Starts the worker threads. */
    public synchronized void start() {
        if (running) {
            throw new IllegalStateException("delivery workers already started");
        }
        running = true;
        AtomicInteger counter = new AtomicInteger();
        threads = Executors.newFixedThreadPool(config.workers(), task -> {
            Thread thread = new Thread(task, "tsunagi-delivery-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 1; i <= config.workers(); i++) {
            String workerId = name + "-" + i;
            threads.execute(() -> loop(workerId));
        }
        LOG.info("delivery: {} workers started", config.workers());
    }

    /**
     * Stops taking new rows, lets deliveries in flight finish for up to {@link DeliveryConfig#stopTimeout()}, then
     * interrupts what is left (those rows come back when their lease ends). Rows claimed but not started are given
     * back at once.
     *
     * @return true if every worker finished within the timeout
     */
    public synchronized boolean stop() {
        if (!running) {
            return true;
        }
        running = false;
        wakeUps.release(config.workers() * 2);
        threads.shutdown();
        boolean finished = false;
        try {
            finished = threads.awaitTermination(config.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                LOG.warn("delivery: {} deliveries still in flight after {}; interrupting them", inFlight.get(),
                        config.stopTimeout());
                threads.shutdownNow();
                threads.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.info("delivery: workers stopped");
        return finished;
    }

    @Override
    public void close() {
        stop();
    }

    public boolean isRunning() {
        return running;
    }

    /** Lets idle workers look at once (call after committing new outbox rows), instead of at the next poll. */
    public void wakeUp() {
        // bounded: permits nobody waits for would only cause a few needless claims later
        if (wakeUps.availablePermits() < config.workers()) {
            wakeUps.release(config.workers());
        }
    }

    private void loop(String workerId) {
        while (running && !Thread.currentThread().isInterrupted()) {
            List<OutboxItem> batch;
            try {
                batch = claim(workerId);
            } catch (SQLException | RuntimeException e) {
                // the store is down or busy: nothing is lost, the rows wait
                LOG.warn("delivery: worker {} could not claim rows ({})", workerId, describe(e));
                idle();
                continue;
            }
            if (batch.isEmpty()) {
                idle();
                continue;
            }
            for (OutboxItem item : batch) {
                if (!running || !leaseCoversAnAttempt(item)) {
                    release(item, workerId);
                } else if (mayStillSend(item, workerId)) {
                    deliver(item, workerId);
                }
            }
        }
    }

    private List<OutboxItem> claim(String workerId) throws SQLException {
        synchronized (claiming) {
            return claimAlone(workerId);
        }
    }

    private List<OutboxItem> claimAlone(String workerId) throws SQLException {
        return Transactions.inTransaction(dataSource, c -> {
            Instant now = clock.instant();
            OutboxQueue.Claim claim = queue.claim(c, workerId, now, config.lease(), config.batchSize());
            for (OutboxItem dead : claim.deadLettered()) {
                listener.deadLettered(c, dead, dead.lastErrorCode(), now);
            }
            return claim.leased();
        });
    }

    /** A batch is worked through one row after the other: a late row may no longer have time left on its lease. */
    private boolean leaseCoversAnAttempt(OutboxItem item) {
        Instant worstEnd = clock.instant().plus(config.attemptLimit());
        return worstEnd.isBefore(item.claimedUntil());
    }

    /**
     * The re-check just before sending (one transaction, the row locked): false if the row is no longer this worker's
     * (a withdrawal stopped it) or if the copy is no longer lawful, in which case it is stopped, told to the listener
     * as a dead letter with the stop code, and never sent. A store failure sends nothing (the lease runs out).
     */
    private boolean mayStillSend(OutboxItem item, String workerId) {
        try {
            return Transactions.inTransaction(dataSource, c -> {
                Instant now = clock.instant();
                OutboxQueue.SendCheck check = queue.beginSend(c, item, workerId, now);
                if (!check.held()) {
                    return false;
                }
                String stop = lawfulness.stopCode(new CopyLawfulness.Copy(item.recipient(), check.consentWithdrawnAt(),
                        check.consentExpiresAt()), now);
                if (stop == null) {
                    return true;
                }
                if (queue.stop(c, item, workerId, now, stop)) {
                    listener.deadLettered(c, item.withoutPayload(), stop, now);
                }
                LOG.info("delivery: outbox row {} stopped before sending: {}", item.id(), stop);
                return false;
            });
        } catch (SQLException | RuntimeException e) {
            LOG.warn("delivery: outbox row {} not re-checked, not sent ({})", item.id(), describe(e));
            return false;
        }
    }

    private void deliver(OutboxItem item, String workerId) {
        inFlight.incrementAndGet();
        try {
            DeliveryResult result;
            try {
                result = transport.deliver(item);
            } catch (RuntimeException e) {
                LOG.warn("delivery: transport failed on outbox row {} ({})", item.id(), e.getClass().getSimpleName());
                result = DeliveryResult.retry("transport.error");
            }
            // record even when stop() interrupted the attempt; the interrupt is restored afterwards
            boolean interrupted = Thread.interrupted();
            try {
                record(item, workerId, result);
            } catch (SQLException | RuntimeException e) {
                // the row stays leased and is tried again after the lease; the recipient dedups the second copy
                LOG.warn("delivery: outcome {} of outbox row {} not recorded ({})", result.code(), item.id(),
                        describe(e));
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void record(OutboxItem item, String workerId, DeliveryResult result) throws SQLException {
        OutboxItem quiet = item.withoutPayload();
        int attempt = item.attempts() + 1;
        Transactions.inTransaction(dataSource, c -> {
            Instant at = clock.instant();
            listener.attempted(c, quiet, attempt, result, at);
            switch (result.outcome()) {
                case DELIVERED:
                    if (queue.markDelivered(c, item, workerId, at)) {
                        listener.delivered(c, quiet, at);
                    }
                    break;
                case PERMANENT:
                    if (queue.markDead(c, item, workerId, at, result.code())) {
                        listener.deadLettered(c, quiet, result.code(), at);
                    }
                    break;
                default:
                    if (attempt >= config.maxAttempts()) {
                        if (queue.markDead(c, item, workerId, at, result.code())) {
                            listener.deadLettered(c, quiet, result.code(), at);
                        }
                    } else {
                        queue.scheduleRetry(c, item, workerId, at.plus(backoff.delayAfter(attempt)), result.code());
                    }
                    break;
            }
            return null;
        });
        if (result.outcome() != DeliveryResult.Outcome.DELIVERED) {
            LOG.info("delivery: outbox row {} attempt {}: {}", item.id(), attempt, result.code());
        }
    }

    private void release(OutboxItem item, String workerId) {
        try {
            Transactions.inTransaction(dataSource, c -> queue.release(c, item, workerId));
        } catch (SQLException | RuntimeException e) {
            // the lease will run out on its own
            LOG.debug("delivery: outbox row {} not released ({})", item.id(), describe(e));
        }
    }

    private void idle() {
        try {
            wakeUps.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // ends the loop
        }
    }

    /** The kind of failure and the SQL state: database messages can quote values, so they are not logged. */
    private static String describe(Exception e) {
        return e instanceof SQLException s
                ? "SQLState " + s.getSQLState() + ", " + e.getClass().getSimpleName()
                : e.getClass().getSimpleName();
    }
}
