package jp.tsunagi.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an H2 file compact while the gateway runs. H2 compacts its file only from a background thread that it starts
 * when commits are written late (WRITE_DELAY above 0). The gateway needs WRITE_DELAY=0 (an acknowledged message is on
 * disk), and then nothing rewrites the chunks that still hold a few live rows: under steady traffic the file grew
 * without bound (16 GB in 90 s of {@code bench/run}), and H2's ever larger writes exhausted the process's direct
 * memory. This does H2's compaction from a thread of its own: whenever the chunks are less than {@link #TARGET_FILL}
 * percent full, it rewrites up to {@link #WRITE_BYTES} of their live pages, so the old chunks are dropped and their
 * space reused. Only for a database this process opened itself (a command beside a running gateway reaches the file
 * through the gateway's H2 server, which does this work).
 *
 * <p>It also holds one connection of its own for as long as the gateway runs. H2 closes a database when its last
 * connection closes, and HikariCP replaces each pooled connection after 30 minutes, those opened together at about
 * the same time: a moment without any would close the database under the running intake.
 */
final class H2Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
    static final int TARGET_FILL = 60;
    /** Small rewrites, often: the next commit writes them, in one chunk of at most this size. */
    static final int WRITE_BYTES = 2 * 1024 * 1024;
    private static final long INTERVAL_MS = 500;

    /** Opens a connection outside the pool. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    private final Opener opener;
    private final ScheduledExecutorService timer;
    private volatile boolean failed;
    /** The connection that keeps the database open; replaced when H2 closed the database under it (a full disk). */
    private Connection keeper;

    private H2Housekeeping(Opener opener, ScheduledExecutorService timer) {
        this.opener = opener;
        this.timer = timer;
    }

    /** Opens the keeping connection and starts the housekeeping of the H2 database the opener connects to. */
    static H2Housekeeping start(Opener opener) throws SQLException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tsunagi-h2-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        H2Housekeeping housekeeping = new H2Housekeeping(opener, timer);
        housekeeping.keeper();
        timer.scheduleWithFixedDelay(housekeeping::runQuietly, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
        return housekeeping;
    }

    /** One round: reopens the keeping connection if H2 closed it, compacts if the file's chunks are sparse. */
    synchronized boolean runOnce() throws SQLException {
        if (!(keeper().unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local)) {
            return false; // reached through another process's H2 server: that process compacts
        }
        MVStore store = local.getDatabase().getStore().getMvStore();
        return !store.isClosed() && store.compact(TARGET_FILL, WRITE_BYTES);
    }

    private synchronized Connection keeper() throws SQLException {
        if (keeper == null || !keeper.isValid(2)) {
            closeKeeper();
            keeper = opener.open();
        }
        return keeper;
    }

    private synchronized void closeKeeper() {
        if (keeper != null) {
            try {
                keeper.close();
            } catch (SQLException e) {
                // already broken: nothing to release
            }
            keeper = null;
        }
    }

    private void runQuietly() {
        try {
            runOnce();
            failed = false;
        } catch (SQLException | RuntimeException e) {
            if (!failed) { // once per outage: the store's own failures are reported where intake meets them
                LOG.warn("H2 housekeeping: compaction failed ({})", e.getClass().getName());
                failed = true;
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeKeeper();
    }
}
