package jp.tsunagi.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one database transaction: everything the work writes is committed together or not at all. This is
 * how the intake stores message, outbox rows, audit entries and referral state before it answers 202.
 */
public final class Transactions {
    private Transactions() {
    }

    /** On a connection of the pool, returned to the pool afterwards. */
    public static <T> T inTransaction(DataSource dataSource, SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return inTransaction(connection, work);
        }
    }

    /**
     * On a connection the caller holds: autocommit off, commit if the work returns, roll back if it throws anything
     * (checked or not), then autocommit on again. On a connection already inside a transaction (autocommit off), the
     * work joins that transaction: whoever opened it commits or rolls back, so nothing is committed half-way.
     */
    public static <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
        if (!connection.getAutoCommit()) {
            return work.run(connection);
        }
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (Throwable e) {
            rollback(connection, e);
            throw e;
        } finally {
            restoreAutoCommit(connection);
        }
    }

    /**
     * The write every accepted message makes first, undone: locks the audit head row and updates it in a transaction
     * that is rolled back. Readiness runs it, so that health fails exactly when intake would (a database closed under
     * the pool, a full disk, a lock held by a stuck transaction), not merely when a connection can be opened.
     */
    public static void rehearseWrite(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(2); // a readiness probe answers in time, even behind a stuck lock
                try {
                    statement.executeUpdate("UPDATE audit_head SET last_seq = last_seq WHERE head_id = 1");
                } finally {
                    // H2 keeps a query timeout for the whole session: the pooled connection went on to cancel
                    // delivery claims that waited more than 2 s
                    statement.setQueryTimeout(0);
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    private static void rollback(Connection connection, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException e) {
            // the original failure is what matters; a broken connection is discarded by the pool
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // a connection that cannot be reset is broken and will be evicted by the pool
        }
    }
}
