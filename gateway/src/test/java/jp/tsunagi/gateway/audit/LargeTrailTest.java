package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification of a large trail in an H2 file database: memory stays flat (it reads in pages) and time is linear.
 * 50,000 entries (five pages) by default; {@code -Daudit.largeTrail=1000000} for the million-entry check.
 */
class LargeTrailTest {
    private static final int ENTRIES = Integer.getInteger("audit.largeTrail", 50_000);
    private static final int CHECKPOINT_EVERY = 1000;

    @TempDir
    Path dir;

    @Test
    void a_large_trail_verifies_in_linear_time_and_a_change_near_its_end_is_found() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("large").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        try (HikariDataSource dataSource = new HikariDataSource(config)) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("11").load().migrate();
            long written = System.nanoTime();
            writeDirectly(dataSource);
            System.out.printf("LargeTrailTest: wrote %,d entries in %d ms%n", ENTRIES, (System.nanoTime() - written) / 1_000_000);

            long started = System.nanoTime();
            VerificationResult result = new AuditVerifier(AuditDatabase.GATEWAY_KEYS).verify(dataSource);
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("LargeTrailTest: verified %,d entries in %d ms (%s)%n", ENTRIES, millis, result.summary());

            assertThat(result.summary()).isEqualTo("intact: " + ENTRIES + " entries, " + ENTRIES / CHECKPOINT_EVERY + " checkpoints");
            try (Connection c = dataSource.getConnection()) {
                c.createStatement().execute("UPDATE audit_entry SET outcome = 'delivered' WHERE seq = " + (ENTRIES - 3));
            }
            VerificationResult tampered = new AuditVerifier(AuditDatabase.GATEWAY_KEYS).verify(dataSource);
            assertThat(tampered.firstBadSeq()).isEqualTo(ENTRIES - 3);
            assertThat(tampered.tampering()).isEqualTo(Tampering.CHANGED);

            try (Connection c = dataSource.getConnection()) { // found in the first page: the reading ahead stops
                c.createStatement().execute("UPDATE audit_entry SET outcome = 'delivered' WHERE seq = 5");
            }
            VerificationResult early = new AuditVerifier(AuditDatabase.GATEWAY_KEYS).verify(dataSource);
            assertThat(early.firstBadSeq()).isEqualTo(5);
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("tsunagi-audit-verify-reader"));
        }
    }

    /** The chain AuditChain would write (checkpoints every 1000), inserted in batches: appending one by one is slower. */
    private static void writeDirectly(HikariDataSource dataSource) throws Exception {
        AuditEntry.ChainHash hash = new AuditEntry.ChainHash();
        OffsetDateTime start = AuditTime.of(Instant.parse("2024-04-01T00:00:00Z"));
        String prev = AuditEntry.GENESIS_HASH;
        AuditEntry last = null;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_entry (" + AuditRows.ENTRY_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= ENTRIES; i++) {
                    last = AuditEntry.next(i, start.plusNanos(i * 1000L), prev, AuditFixtures.event(i), hash);
                    insert.setLong(1, last.seq());
                    insert.setObject(2, last.at());
                    insert.setString(3, last.actor());
                    insert.setString(4, last.action());
                    insert.setString(5, last.messageId());
                    insert.setString(6, last.referralId());
                    insert.setString(7, last.subjectRef());
                    insert.setString(8, last.dataCategories());
                    insert.setString(9, last.basis());
                    insert.setString(10, last.outcome());
                    insert.setString(11, last.code());
                    insert.setString(12, last.prevHash());
                    insert.setString(13, last.entryHash());
                    insert.addBatch();
                    if (i % CHECKPOINT_EVERY == 0) {
                        AuditRows.insertCheckpoint(c, new AuditRows.Anchor(i, last.at(), last.entryHash(), "gateway#1",
                                AuditSignatures.sign(AuditDatabase.GATEWAY_KEY, AuditSignatures.CHECKPOINT, i,
                                        last.entryHash(), last.at())));
                    }
                    if (i % 10_000 == 0) {
                        insert.executeBatch();
                        c.commit();
                    }
                    prev = last.entryHash();
                }
                insert.executeBatch();
            }
            try (PreparedStatement head = c.prepareStatement(
                    "UPDATE audit_head SET last_seq = ?, last_hash = ?, at = ?, kid = ?, signature = ?")) {
                head.setLong(1, last.seq());
                head.setString(2, last.entryHash());
                head.setObject(3, last.at());
                head.setString(4, "gateway#1");
                head.setString(5, AuditSignatures.sign(AuditDatabase.GATEWAY_KEY, AuditSignatures.HEAD, last.seq(),
                        last.entryHash(), last.at()));
                head.executeUpdate();
            }
            c.commit();
        }
    }
}
