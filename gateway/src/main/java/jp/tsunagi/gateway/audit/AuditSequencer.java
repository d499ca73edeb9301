package jp.tsunagi.gateway.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one chainer of the audit trail across the gateway's nodes (監査ログの連結): every quarter of the chain delay it
 * links what was committed since ({@link AuditChain#chainBatch}, one head signature per batch), so an entry is in the
 * signed chain within about the delay ({@code tsunagi.audit.chain-delay}, 1 s by default).
 *
 * <p>One node chains at a time: the holder of a {@link Leadership}. On PostgreSQL it is a session advisory lock
 * ({@code pg_try_advisory_lock}) on a connection of its own: when that node dies or its connection breaks, the server
 * releases the lock and another node's next attempt takes it over. On H2 (one process) the process leads. The lock
 * only keeps the nodes from queueing on each other; correctness does not depend on it, since chaining itself takes
 * the head row lock and never chains an entry twice.
 *
 * <p>Every node, leader or not, observes the backlog (unchained entries, age of the oldest) for health and metrics.
 */
public final class AuditSequencer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditSequencer.class);
    /** The advisory lock's key: ASCII "TSUNAGI1" (one per database). */
    static final long LOCK_KEY = 0x5453554e41474931L;

    private final AuditChain chain;
    private final DataSource dataSource;
    private final Leadership leadership;
    private final Clock clock;
    private final ScheduledExecutorService loop;
    private volatile boolean leader;
    private volatile AuditChain.Backlog backlog = AuditChain.Backlog.NONE;
    private volatile boolean stopped;

    private AuditSequencer(AuditChain chain, DataSource dataSource, Leadership leadership, Clock clock) {
        this.chain = Objects.requireNonNull(chain);
        this.dataSource = Objects.requireNonNull(dataSource);
        this.leadership = Objects.requireNonNull(leadership);
        this.clock = Objects.requireNonNull(clock);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tsunagi-audit-sequencer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts chaining every quarter of {@code delay} (at least every 5 ms) for as long as this node leads. */
    public static AuditSequencer start(AuditChain chain, DataSource dataSource, Leadership leadership, Duration delay,
            Clock clock) {
        AuditSequencer sequencer = new AuditSequencer(chain, dataSource, leadership, clock);
        long period = Math.max(5, delay.toMillis() / 4);
        sequencer.loop.scheduleWithFixedDelay(sequencer::cycle, 0, period, TimeUnit.MILLISECONDS);
        return sequencer;
    }

    private void cycle() {
        try {
            boolean leads = leadership.hold();
            if (leads != leader) {
                leader = leads;
                LOG.info(leads ? "audit sequencer: this node chains the audit trail"
                        : "audit sequencer: another node chains the audit trail");
            }
            if (leads) {
                synchronized (this) {
                    try (Connection c = dataSource.getConnection()) {
                        while (!stopped && chain.chainBatch(c).size() == AuditChain.BATCH) {
                            // a full batch: more is waiting
                        }
                    }
                }
            }
            observe();
        } catch (SQLException | RuntimeException e) {
            // entries stay pending, nothing is lost; the backlog shows in health, metrics and audit verify
            LOG.warn("audit sequencer: chaining failed, retried ({}: {})", e.getClass().getSimpleName(), e.getMessage());
        }
    }

    private void observe() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            backlog = AuditChain.backlog(c, clock);
        }
    }

    /** Whether this node chained at its last attempt. */
    public boolean isLeader() {
        return leader;
    }

    /** The backlog as last observed (every cycle, on every node). */
    public AuditChain.Backlog backlog() {
        return backlog;
    }

    /**
     * Chains, here and now, everything committed before the call (whoever leads) and returns how many entries this
     * call chained: for tests that assert on the chain, and for an orderly shutdown.
     */
    public long chainCommitted() throws SQLException {
        long chained;
        synchronized (this) {
            chained = chain.chainCommitted(dataSource);
        }
        observe();
        return chained;
    }

    /** Stops the loop, chains what is committed (best effort: the next node or start chains it otherwise), lets go. */
    @Override
    public void close() {
        stopped = true;
        loop.shutdown();
        try {
            if (!loop.awaitTermination(30, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
            chain.chainCommitted(dataSource);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("audit sequencer: entries left pending at shutdown, chained at the next start ({})",
                    e.getClass().getSimpleName());
        } finally {
            leadership.release();
        }
    }

    /** Who chains: exactly one holder across the nodes of one database. */
    public interface Leadership {
        /** Whether this node holds (or has now taken) the leadership. */
        boolean hold() throws SQLException;

        /** Gives it up (another node takes it at its next attempt). */
        void release();

        /**
         * For the database of the data source: a PostgreSQL advisory lock on a connection from {@code dedicated}
         * (kept open while leading, outside the pool), or this process on H2.
         */
        static Leadership of(DataSource dataSource, Callable<Connection> dedicated) throws SQLException {
            try (Connection c = dataSource.getConnection()) {
                return jp.tsunagi.gateway.store.Database.isPostgres(c) ? new AdvisoryLock(dedicated) : new ThisProcess();
            }
        }
    }

    /** H2 admits one process: it leads. */
    static final class ThisProcess implements Leadership {
        @Override
        public boolean hold() {
            return true;
        }

        @Override
        public void release() {
        }
    }

    /** A PostgreSQL session advisory lock: held as long as its connection lives, released by the server when it dies. */
    public static final class AdvisoryLock implements Leadership {
        private final Callable<Connection> connections;
        private Connection held;

        public AdvisoryLock(Callable<Connection> connections) {
            this.connections = Objects.requireNonNull(connections);
        }

        @Override
        public synchronized boolean hold() throws SQLException {
            if (held != null) {
                if (held.isValid(2)) {
                    return true;
                }
                closeQuietly(held); // the session is gone, and the lock with it: try to take it again
                held = null;
            }
            Connection c;
            try {
                c = connections.call();
            } catch (SQLException e) {
                throw e;
            } catch (Exception e) {
                throw new SQLException("no connection for the audit sequencer's lock", e);
            }
            try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                s.setLong(1, LOCK_KEY);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        held = c;
                        return true;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
            closeQuietly(c);
            return false;
        }

        @Override
        public synchronized void release() {
            if (held != null) {
                closeQuietly(held); // ending the session releases its advisory locks
                held = null;
            }
        }

        private static void closeQuietly(Connection c) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }
}
