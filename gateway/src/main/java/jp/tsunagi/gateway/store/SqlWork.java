package jp.tsunagi.gateway.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work done on one connection inside a transaction (see {@link Transactions}). */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
