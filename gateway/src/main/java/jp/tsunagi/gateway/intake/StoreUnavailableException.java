package jp.tsunagi.gateway.intake;

import java.sql.SQLException;

/** The durable store cannot be reached or refused a write: fail closed, accept nothing (503). */
final class StoreUnavailableException extends RuntimeException {
    StoreUnavailableException(SQLException cause) {
        super("the durable store is unavailable", cause);
    }
}
