package jp.tsunagi.gateway.intake;

import java.sql.SQLException;
import jp.tsunagi.gateway.store.StoreFailures;

/** The durable store cannot be reached or refused a write: fail closed, accept nothing (503). */
public final class StoreUnavailableException extends RuntimeException {
    StoreUnavailableException(SQLException cause) {
        super("the durable store is unavailable", cause);
        StoreFailures.log("intake", cause); // every 503 store.unavailable says why in the log
    }

    /** A connector that learnt it from a refusal (store.unavailable) and stops its batch there. */
    public StoreUnavailableException() {
        super("the durable store is unavailable");
    }
}
