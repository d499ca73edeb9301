package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sequencer (docs/architecture.md D12): entries committed by the business are chained by one sequencer across
 * nodes, taken over when it dies, and nothing committed is lost or chained twice.
 */
class AuditSequencerTest {
    private static final String KINDS = "jp.tsunagi.gateway.store.TestDatabases#kinds";
    private static final Duration DELAY = Duration.ofMillis(40);
    private final AuditVerifier verifier = new AuditVerifier(AuditDatabase.GATEWAY_KEYS);

    @Test
    void a_second_node_takes_over_chaining_when_the_first_ones_session_dies_and_the_chain_stays_intact() throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(TestDatabases.Kind.POSTGRESQL);
             HikariDataSource nodeB = db.secondNode()) {
            AuditChain chainA = AuditFixtures.chain(Clock.systemUTC());
            AuditChain chainB = AuditFixtures.chain(Clock.systemUTC());
            // node A leads: it holds the advisory lock on a session of its own and chains by hand
            Connection[] lockSession = new Connection[1];
            AuditSequencer.AdvisoryLock lockA = new AuditSequencer.AdvisoryLock(() -> lockSession[0] = db.dedicatedConnection());
            assertThat(lockA.hold()).isTrue();
            appendEach(chainA, db.dataSource, 0, 15);
            chainA.chainCommitted(db.dataSource);

            try (AuditSequencer b = AuditSequencer.start(chainB, nodeB,
                    AuditSequencer.Leadership.of(nodeB, () -> db.dedicatedConnection()), DELAY, Clock.systemUTC())) {
                appendEach(chainB, nodeB, 15, 5);
                // B sees the five waiting entries but does not chain them while A holds the lock
                awaitBacklog(b, 5);
                assertThat(b.isLeader()).isFalse();
                assertThat(db.number("SELECT COUNT(*) FROM audit_pending")).isEqualTo(5);

                // node A dies: its session ends, PostgreSQL releases the lock
                long pid;
                try (Statement s = lockSession[0].createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pid = rs.getLong(1);
                }
                db.sql("SELECT pg_terminate_backend(" + pid + ")");

                assertThat(db.await("SELECT COUNT(*) FROM audit_pending", 0)).as("B took over and chained").isZero();
                assertThat(b.isLeader()).isTrue();
                appendEach(chainB, nodeB, 20, 5);
                assertThat(db.await("SELECT COUNT(*) FROM audit_entry", 25)).isEqualTo(25);
            }
            assertThat(verifier.verify(db.dataSource).summary()).startsWith("intact: 25 entries,");
            assertThat(lockA.hold()).as("A, back, finds the lock taken only if B still runs: B has stopped").isTrue();
            lockA.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void entries_committed_before_a_crash_are_chained_by_the_next_sequencer(TestDatabases.Kind kind) throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind)) {
            AuditChain chain = AuditFixtures.chain(Clock.systemUTC());
            appendEach(chain, db.dataSource, 0, 10);
            chain.chainCommitted(db.dataSource);
            // committed with their business, then the process died before its sequencer chained them
            appendEach(chain, db.dataSource, 10, 12);
            VerificationResult before = verifier.verify(db.dataSource);
            assertThat(before.summary()).isEqualTo("intact: 10 entries, 1 checkpoints");
            assertThat(before.unchained()).isEqualTo(12);

            try (AuditSequencer next = AuditSequencer.start(chain, db.dataSource,
                    AuditSequencer.Leadership.of(db.dataSource, db::dedicatedConnection), DELAY, Clock.systemUTC())) {
                assertThat(db.await("SELECT COUNT(*) FROM audit_pending", 0)).isZero();
                awaitBacklog(next, 0);
            }

            VerificationResult after = verifier.verify(db.dataSource);
            assertThat(after.summary()).isEqualTo("intact: 22 entries, 3 checkpoints");
            assertThat(after.unchained()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(KINDS)
    void many_appenders_on_two_nodes_make_one_intact_chain_with_every_committed_entry_once(TestDatabases.Kind kind)
            throws Exception {
        try (AuditDatabase db = AuditDatabase.fresh(kind); HikariDataSource second = db.secondNode()) {
            List<DataSource> nodes = List.of(db.dataSource, second);
            List<AuditSequencer> sequencers = new ArrayList<>();
            for (DataSource node : nodes) {
                sequencers.add(AuditSequencer.start(AuditFixtures.chain(Clock.systemUTC()), node,
                        AuditSequencer.Leadership.of(node, db::dedicatedConnection), DELAY, Clock.systemUTC()));
            }
            Set<Long> committed = Collections.synchronizedSet(new HashSet<>());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    DataSource node = nodes.get(t % 2);
                    AuditChain chain = AuditFixtures.chain(Clock.systemUTC());
                    done.add(pool.submit(() -> {
                        try (Connection c = node.getConnection()) {
                            c.setAutoCommit(false);
                            for (int i = 0; i < 25; i++) {
                                // a message, its outbox row and its audit entries in one transaction; every 5th rolls back
                                List<AuditChain.Appended> appended = chain.appendAll(c,
                                        List.of(AuditFixtures.event(thread * 100 + i), AuditFixtures.event(i)));
                                if (i % 5 == 4) {
                                    c.rollback();
                                } else {
                                    c.commit();
                                    appended.forEach(a -> committed.add(a.id()));
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdown();
            }
            assertThat(db.await("SELECT COUNT(*) FROM audit_pending", 0)).isZero();
            for (AuditSequencer s : sequencers) {
                s.close();
            }

            assertThat(committed).hasSize(320);
            assertThat(verifier.verify(db.dataSource).summary()).startsWith("intact: 320 entries,");
            assertThat(entryIds(db)).as("every committed entry chained exactly once, nothing rolled back")
                    .containsExactlyInAnyOrderElementsOf(committed);
        }
    }

    private static void appendEach(AuditChain chain, DataSource dataSource, int from, int n) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (int i = from + 1; i <= from + n; i++) {
                chain.append(c, AuditFixtures.event(i));
            }
        }
    }

    private static void awaitBacklog(AuditSequencer sequencer, long entries) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (sequencer.backlog().entries() != entries && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sequencer.backlog().entries()).isEqualTo(entries);
    }

    private static List<Long> entryIds(AuditDatabase db) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = db.dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT entry_id FROM audit_entry ORDER BY seq")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }
}
