package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OutboxQueueTest {
    private static final Duration LEASE = Duration.ofMinutes(5);

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void onlyTheHeadOfEachQueueIsClaimedAndDeadRowsDoNotBlock(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem r1 = f.queued("R-1", "welfare-b");
            OutboxItem r2 = f.queued("R-1", "welfare-b");
            OutboxItem r3 = f.queued("R-1", "welfare-b");
            OutboxItem other = f.queued("R-1", "hello-work");
            Instant now = Instant.now();

            List<OutboxItem> first = claim(f, "w1", now);
            assertThat(first).extracting(OutboxItem::id).containsExactlyInAnyOrder(r1.id(), other.id());
            assertThat(first).allSatisfy(i -> {
                assertThat(i.claimedBy()).isEqualTo("w1");
                assertThat(i.payload()).isNotNull();
            });
            assertThat(new String(first.get(0).payload(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains(StoreFixture.CANARY_NAME);
            // r1 is leased, r2 and r3 wait behind it
            assertThat(claim(f, "w2", now)).isEmpty();

            assertThat(f.<Boolean>tx(c -> f.queue.scheduleRetry(c, r1, "w1", now.plusSeconds(60), "http.503"))).isTrue();
            assertThat(claim(f, "w2", now)).as("r1 is being retried: r2 still waits").isEmpty();
            assertThat(claim(f, "w2", now.plusSeconds(61))).extracting(OutboxItem::id).containsExactly(r1.id());
            OutboxItem retried = f.row(r1.id());
            assertThat(retried.attempts()).isEqualTo(1);
            assertThat(retried.lastErrorCode()).isEqualTo("http.503");

            assertThat(f.<Boolean>tx(c -> f.queue.markDead(c, r1, "w2", now, "http.503"))).isTrue();
            List<OutboxItem> next = claim(f, "w2", now.plusSeconds(61));
            assertThat(next).extracting(OutboxItem::id).containsExactly(r2.id());
            assertThat(f.<Boolean>tx(c -> f.queue.markDelivered(c, next.get(0), "w2", now))).isTrue();
            assertThat(claim(f, "w2", now.plusSeconds(61))).extracting(OutboxItem::id).containsExactly(r3.id());
            OutboxItem delivered = f.row(r2.id());
            assertThat(delivered.status()).isEqualTo(OutboxStatus.DELIVERED);
            assertThat(delivered.claimedBy()).isNull();
            assertThat(delivered.attempts()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void copiesToASuspendedRecipientAreHeldUntriedAndAQueueWithoutTheSuspensionClaimsThem(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem held = f.queued("R-1", "welfare-b");
            OutboxItem heldToo = f.queued("R-2", "hello-work");
            OutboxItem other = f.queued("R-3", "hub-a");
            Instant now = Instant.now();
            OutboxQueue suspending = new OutboxQueue(f.cipher, Set.of("welfare-b", "hello-work"));

            OutboxQueue.Claim claim = f.tx(c -> suspending.claim(c, "w1", now, LEASE, 5));

            assertThat(claim.leased()).extracting(OutboxItem::id).containsExactly(other.id());
            assertThat(claim.deadLettered()).isEmpty();
            assertThat(f.tx(c -> suspending.claim(c, "w1", now.plus(LEASE).plusSeconds(1), LEASE, 5)).leased())
                    .as("only the other copy, whose lease ran out").extracting(OutboxItem::id).containsExactly(other.id());
            for (OutboxItem row : List.of(f.row(held.id()), f.row(heldToo.id()))) {
                assertThat(row.status()).isEqualTo(OutboxStatus.PENDING);
                assertThat(row.attempts()).isZero();
                assertThat(row.claimedBy()).isNull();
            }
            // lifted: a gateway started without the suspension
            assertThat(claim(f, "w2", now.plus(LEASE).plusSeconds(1))).extracting(OutboxItem::id)
                    .containsExactlyInAnyOrder(held.id(), heldToo.id());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void anExpiredLeaseIsTakenOverAndTheLateWorkerCannotOverwrite(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem row = f.queued("R-1", "welfare-b");
            Instant now = Instant.now();
            OutboxItem crashed = f.tx(c -> f.queue.claim(c, "crashed", now, Duration.ofSeconds(30), 5)).leased().get(0);

            assertThat(claim(f, "w2", now.plusSeconds(29))).isEmpty();
            OutboxItem taken = claim(f, "w2", now.plusSeconds(31)).get(0);
            assertThat(taken.id()).isEqualTo(row.id());
            assertThat(f.<Boolean>tx(c -> f.queue.markDead(c, crashed, "crashed", now, "http.500"))).isFalse();
            assertThat(f.<Boolean>tx(c -> f.queue.release(c, crashed, "crashed"))).isFalse();
            assertThat(f.<Boolean>tx(c -> f.queue.markDelivered(c, taken, "w2", now))).isTrue();
            assertThat(f.row(row.id()).status()).isEqualTo(OutboxStatus.DELIVERED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void concurrentClaimersNeverGetTheSameRow(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            for (int i = 0; i < 50; i++) {
                f.queued("R-" + i, "welfare-b");
            }
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            List<Long> duplicates = new CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Integer>> claimers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String worker = "w" + w;
                claimers.add(pool.submit(() -> {
                    go.await();
                    int mine = 0;
                    while (true) {
                        List<OutboxItem> batch = claim(f, worker, Instant.now(), 3);
                        if (batch.isEmpty() && seen.size() >= 50) {
                            return mine;
                        }
                        for (OutboxItem item : batch) {
                            mine++;
                            if (!seen.add(item.id())) {
                                duplicates.add(item.id());
                            }
                        }
                    }
                }));
            }
            go.countDown();
            int total = 0;
            for (Future<Integer> claimer : claimers) {
                total += claimer.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(duplicates).isEmpty();
            assertThat(total).isEqualTo(50);
            assertThat(seen).hasSize(50);
        }
    }

    /**
     * H2 used to lock every due row a claim read, not only the ten it took: each claim rewrote the whole backlog on
     * disk (the file grew by gigabytes a minute under load), and a withdrawal or a requeue had to wait for it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void whileAWorkerHoldsItsClaimOfTenTheOtherDueCopiesStayUnlocked(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            for (int i = 0; i < 50; i++) {
                f.queued("R-" + i, "welfare-b");
            }
            try (Connection worker = f.db.dataSource().getConnection()) {
                worker.setAutoCommit(false);
                List<OutboxItem> claimed = f.queue.claim(worker, "w1", Instant.now(), LEASE, 10).leased();
                List<Long> free = f.tx(c -> {
                    List<Long> ids = new ArrayList<>();
                    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                            "SELECT id FROM outbox WHERE status = 'PENDING' ORDER BY id FOR UPDATE SKIP LOCKED")) {
                        while (r.next()) {
                            ids.add(r.getLong(1));
                        }
                    }
                    return ids;
                });
                worker.commit();
                assertThat(claimed).hasSize(10);
                assertThat(free).as("rows another transaction can lock while the claim is open").hasSize(40)
                        .doesNotContainAnyElementsOf(claimed.stream().map(OutboxItem::id).toList());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aClaimDeadLettersRowsUnderAWithdrawnConsentAndRowsThatDoNotDecrypt(TestDatabases.Kind kind)
            throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem underWithdrawn = f.queued("R-1", "welfare-b", "C-1");
            OutboxItem moved = f.queued("R-2", "welfare-b");
            OutboxItem fine = f.queued("R-3", "welfare-b");
            // a withdrawal that raced with the intake: recorded, but the row was not cancelled
            f.tx(c -> f.store.recordWithdrawal(c, "C-1", Instant.now(), "m-w"));
            // a ciphertext copied from another row does not decrypt in this one
            try (Connection c = f.db.dataSource().getConnection(); var s = c.prepareStatement(
                    "UPDATE outbox SET payload_enc = (SELECT payload_enc FROM outbox WHERE id = ?) WHERE id = ?")) {
                s.setLong(1, fine.id());
                s.setLong(2, moved.id());
                s.executeUpdate();
            }

            OutboxQueue.Claim claim = f.tx(c -> f.queue.claim(c, "w1", Instant.now(), LEASE, 10));
            assertThat(claim.leased()).extracting(OutboxItem::id).containsExactly(fine.id());
            assertThat(claim.deadLettered()).extracting(OutboxItem::id, OutboxItem::lastErrorCode)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(underWithdrawn.id(), MessageStore.CONSENT_WITHDRAWN),
                            org.assertj.core.groups.Tuple.tuple(moved.id(), OutboxQueue.PAYLOAD_UNREADABLE));
            assertThat(f.row(underWithdrawn.id()).status()).isEqualTo(OutboxStatus.DEAD);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void deadLettersAreListedWithoutPayloadAndRequeued(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem dead = f.queued("R-1", "welfare-b");
            OutboxItem pending = f.queued("R-2", "welfare-b");
            Instant now = Instant.now();
            claim(f, "w1", now);
            f.tx(c -> f.queue.markDead(c, dead, "w1", now, "http.404"));
            f.tx(c -> f.queue.release(c, pending, "w1"));

            List<DeadLetter> letters = f.tx(c -> f.queue.deadLetters(c, 0, 10));
            assertThat(letters).singleElement().satisfies(d -> {
                assertThat(d.id()).isEqualTo(dead.id());
                assertThat(d.lastErrorCode()).isEqualTo("http.404");
                assertThat(d.attempts()).isEqualTo(1);
                assertThat(d.payloadPurged()).isFalse();
                assertThat(d.toString()).doesNotContain(StoreFixture.CANARY_NAME);
            });
            assertThat(f.<List<DeadLetter>>tx(c -> f.queue.deadLetters(c, dead.id(), 10))).isEmpty();

            assertThat(f.<OutboxQueue.RequeueOutcome>tx(c -> f.queue.requeue(c, 999_999, now))).isEqualTo(OutboxQueue.RequeueOutcome.NOT_FOUND);
            assertThat(f.<OutboxQueue.RequeueOutcome>tx(c -> f.queue.requeue(c, pending.id(), now))).isEqualTo(OutboxQueue.RequeueOutcome.NOT_DEAD);
            assertThat(f.<OutboxQueue.RequeueOutcome>tx(c -> f.queue.requeue(c, dead.id(), now))).isEqualTo(OutboxQueue.RequeueOutcome.REQUEUED);
            OutboxItem again = f.row(dead.id());
            assertThat(again.status()).isEqualTo(OutboxStatus.PENDING);
            assertThat(again.attempts()).isZero();
            assertThat(again.deadAt()).isNull();
            assertThat(claim(f, "w2", now.plusMillis(1))).extracting(OutboxItem::id).contains(dead.id());
        }
    }

    static List<OutboxItem> claim(StoreFixture f, String worker, Instant now) throws SQLException {
        return claim(f, worker, now, 10);
    }

    static List<OutboxItem> claim(StoreFixture f, String worker, Instant now, int limit) throws SQLException {
        return f.tx(c -> f.queue.claim(c, worker, now, LEASE, limit)).leased();
    }
}
