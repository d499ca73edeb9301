package jp.tsunagi.gateway.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.model.MessageType;

/** A fresh migrated database with a store over it, and shortcuts to put messages and outbox rows in. */
public final class StoreFixture implements AutoCloseable {
    /** A fictitious person: must never appear outside the encrypted columns. */
    public static final String CANARY_NAME = "金成 試験太郎";
    public static final String CANARY_PHONE = "090-0000-4242";

    public final TestDatabases.Kind kind;
    public final Database db;
    public final PayloadCipher cipher;
    public final MessageStore store;
    public final OutboxQueue queue;

    private StoreFixture(TestDatabases.Kind kind) {
        this.kind = kind;
        this.db = TestDatabases.fresh(kind);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cipher = PayloadCipher.withKey(key);
        this.store = new MessageStore(cipher);
        this.queue = new OutboxQueue(cipher);
    }

    public static StoreFixture fresh(TestDatabases.Kind kind) {
        return new StoreFixture(kind);
    }

    public <T> T tx(SqlWork<T> work) throws SQLException {
        return Transactions.inTransaction(db.dataSource(), work);
    }

    /** A JSON document carrying the canary person, distinct per call. */
    public static byte[] document(String label) {
        return ("{\"messageId\":\"" + label + "\",\"subject\":{\"name\":\"" + CANARY_NAME + "\",\"phone\":\""
                + CANARY_PHONE + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static StoredMessage message(String referralId, String sender, String recipient, byte[] payload) {
        return StoredMessage.accepted(UUID.randomUUID().toString(), MessageType.REFERRAL, sender, recipient,
                referralId, Instant.now(), sha256(payload), MessageFormat.JSON, payload, null);
    }

    /** Accepts a message to {@code recipient} and queues one forwarded copy of it, in one transaction. */
    public OutboxItem queued(String referralId, String recipient) throws SQLException {
        return queued(referralId, recipient, null);
    }

    /** The same, recording the consent use when {@code consentId} is given. */
    public OutboxItem queued(String referralId, String recipient, String consentId) throws SQLException {
        String forwardedId = UUID.randomUUID().toString();
        byte[] payload = document(forwardedId);
        return tx(c -> {
            StoredMessage m = message(referralId, "hub-a", recipient, payload);
            store.saveMessage(c, m);
            if (consentId != null) {
                store.recordConsentUse(c, consentId, referralId, m.messageId(), recipient, Instant.now());
            }
            return store.enqueue(c, OutboxItem.pending(forwardedId, m.messageId(), recipient, referralId,
                    MessageFormat.JSON.mediaType(), payload, Instant.now()));
        });
    }

    public OutboxItem row(long id) throws SQLException {
        return tx(c -> queue.find(c, id)).orElseThrow();
    }

    /** Waits until the condition holds; fails after the timeout. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** A row's status, for awaiting. */
    public OutboxStatus status(long id) {
        try {
            return row(id).status();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
