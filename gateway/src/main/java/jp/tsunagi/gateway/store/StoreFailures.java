package jp.tsunagi.gateway.store;

import java.sql.SQLException;
import java.util.Set;
import com.zaxxer.hikari.SQLExceptionOverride;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failure of the durable store was, said without personal data, and which failures break a pooled
 * connection for good. A driver's message may quote a statement's values (a name in a constraint violation), so
 * only exception classes, SQLStates and vendor codes are ever logged.
 */
public final class StoreFailures implements SQLExceptionOverride {
    private static final Logger LOG = LoggerFactory.getLogger(StoreFailures.class);

    /**
     * H2's codes for a database that is gone under its open connections: closed (90098), closed at shutdown or after
     * a panic such as an OutOfMemoryError in its store (90121), out of memory (90108), file I/O (90028, 90031),
     * corrupted file (90030), general error (50000, how an MVStore panic surfaces). A connection that saw one stays
     * broken while the pool, under steady traffic, keeps handing it out without testing it (HikariCP only tests a
     * connection idle for more than 500 ms, and only evicts on SQLState class 08): every write then fails, for ever,
     * while a fresh connection would reopen the database at once. Evicting it is what makes the gateway recover.
     */
    private static final Set<Integer> H2_BROKEN = Set.of(90098, 90121, 90108, 90028, 90031, 90030, 50000);

    @java.lang.Override
    public Override adjudicate(SQLException e) {
        return isBroken(e) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
    }

    static boolean isBroken(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && t.getClass().getName().startsWith("org.h2.")
                    && H2_BROKEN.contains(sql.getErrorCode())) {
                return true;
            }
        }
        return false;
    }

    /** The failure's classes, SQLStates and vendor codes along its cause chain; never a message text. */
    public static String describe(Throwable failure) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 8; t = t.getCause(), depth++) {
            if (depth > 0) {
                out.append(" <- ");
            }
            out.append(t.getClass().getName());
            if (t instanceof SQLException sql) {
                out.append(" [SQLState ").append(sql.getSQLState()).append(", code ").append(sql.getErrorCode()).append(']');
            }
        }
        return out.toString();
    }

    /** Logs why the store refused a request that is answered 503 {@code store.unavailable}. */
    public static void log(String where, Throwable failure) {
        LOG.warn("store unavailable in {}: {}", where, describe(failure));
    }
}
