package jp.tsunagi.gateway.store;

import java.sql.SQLException;

/**
 * Another transaction stored the same messageId first (two submissions raced). The transaction is lost; check again
 * with {@link MessageStore#checkRepeat} in a new one and answer 200 or 409.
 */
public final class DuplicateMessageException extends SQLException {
    private static final long serialVersionUID = 1L;

    public DuplicateMessageException(String messageId, SQLException cause) {
        super("message " + messageId + " is already stored", cause.getSQLState(), cause.getErrorCode(), cause);
    }
}
