package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AuditChainTest {
    private static final String KINDS = "jp.tsunagi.gateway.store.TestDatabases#kinds";
    private final AuditVerifier verifier = new AuditVerifier(AuditDatabase.GATEWAY_KEYS);

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void entries_are_numbered_linked_and_checkpointed(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind)) {
            List<AuditEntry> entries = AuditFixtures.write(db.dataSource, 25);

            assertThat(entries.get(0).seq()).isEqualTo(1);
            assertThat(entries.get(0).prevHash()).isEqualTo(AuditEntry.GENESIS_HASH);
            for (int i = 1; i < entries.size(); i++) {
                assertThat(entries.get(i).seq()).isEqualTo(i + 1);
                assertThat(entries.get(i).prevHash()).isEqualTo(entries.get(i - 1).entryHash());
                assertThat(entries.get(i).recomputeHash()).isEqualTo(entries.get(i).entryHash());
            }
            assertThat(seqs(db, "SELECT seq FROM audit_checkpoint ORDER BY seq")).containsExactly(1L, 11L, 21L);
            assertThat(AuditVerifierTest.entry(db, 25)).as("what is read back is what was hashed").isEqualTo(entries.get(24));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void an_append_is_part_of_the_callers_transaction(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind); Connection c = db.dataSource.getConnection()) {
            AuditChain chain = AuditFixtures.chain(Clock.systemUTC());
            c.setAutoCommit(false);
            chain.append(c, AuditFixtures.event(1));
            chain.append(c, AuditFixtures.event(2));
            c.rollback();

            assertThat(db.count("audit_entry")).isZero();
            assertThat(db.count("audit_checkpoint")).isZero();
            assertThat(verifier.verify(db.dataSource).summary()).isEqualTo("intact: 0 entries, 0 checkpoints");

            assertThat(db.count("audit_pending")).isZero();

            chain.append(c, AuditFixtures.event(3));
            c.commit();
            assertThat(db.count("audit_pending")).as("committed with the caller, chained later").isEqualTo(1);
            assertThat(AuditFixtures.chainAll(chain, c)).extracting(AuditEntry::seq).containsExactly(1L);
            assertThat(verifier.verify(db.dataSource).summary()).isEqualTo("intact: 1 entries, 1 checkpoints");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void concurrent_appends_are_serialized_into_one_chain(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind)) {
            AuditChain chain = AuditFixtures.chain(Clock.systemUTC());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    try (Connection c = db.dataSource.getConnection()) {
                        c.setAutoCommit(false);
                        for (int i = 0; i < 25; i++) {
                            // a message, its outbox row and its audit entries in one transaction
                            chain.appendAll(c, List.of(AuditFixtures.event(thread * 100 + i), AuditFixtures.event(i)));
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
            chain.chainCommitted(db.dataSource);

            assertThat(verifier.verify(db.dataSource).summary()).startsWith("intact: 400 entries,");
            assertThat(seqs(db, "SELECT MAX(seq) FROM audit_entry")).containsExactly(400L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void a_checkpoint_is_written_when_its_time_has_come_and_time_never_runs_backwards(TestDatabases.Kind kind)
            throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind); Connection c = db.dataSource.getConnection()) {
            MutableClock clock = new MutableClock(Instant.parse("2024-04-01T00:00:00.123456789Z"));
            AuditChain chain = new AuditChain(AuditDatabase.GATEWAY_KEY, new CheckpointPolicy(1000, Duration.ofSeconds(60)), clock);
            chain.append(c, AuditFixtures.event(1));
            clock.now = clock.now.plusSeconds(30);
            chain.append(c, AuditFixtures.event(2));
            clock.now = clock.now.plusSeconds(31);
            chain.append(c, AuditFixtures.event(3));
            clock.now = clock.now.minusSeconds(3600); // the clock was set back
            chain.append(c, AuditFixtures.event(4));
            List<AuditEntry> chained = AuditFixtures.chainAll(chain, c);
            AuditEntry third = chained.get(2);
            AuditEntry fourth = chained.get(3);

            assertThat(seqs(db, "SELECT seq FROM audit_checkpoint ORDER BY seq")).containsExactly(1L, 3L);
            assertThat(third.at().toString()).isEqualTo("2024-04-01T00:01:01.123456Z");
            assertThat(fourth.at()).isEqualTo(third.at());
            assertThat(verifier.verify(db.dataSource).intact()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void without_its_head_row_the_trail_accepts_nothing(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind); Connection c = db.dataSource.getConnection()) {
            db.sql("DELETE FROM audit_head");

            assertThatThrownBy(() -> AuditFixtures.chain(Clock.systemUTC()).append(c, AuditFixtures.event(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("audit verify");
            assertThat(db.count("audit_entry")).isZero();
        }
    }

    private static List<Long> seqs(AuditDatabase db, String query) throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
        }
        return seqs;
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
