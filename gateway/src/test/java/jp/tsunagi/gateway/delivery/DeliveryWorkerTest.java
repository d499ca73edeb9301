package jp.tsunagi.gateway.delivery;

import static jp.tsunagi.gateway.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.CountDownLatch;
import jp.tsunagi.gateway.store.DeadLetter;
import jp.tsunagi.gateway.store.MessageStore;
import jp.tsunagi.gateway.store.OutboxItem;
import jp.tsunagi.gateway.store.OutboxQueue;
import jp.tsunagi.gateway.store.OutboxStatus;
import jp.tsunagi.gateway.store.StoreFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The delivery workers against a real recipient over HTTP, on H2 and on PostgreSQL. */
class DeliveryWorkerTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** Milliseconds instead of seconds; jitter fixed at the whole window so delays are predictable. */
    static DeliveryConfig config() {
        return DeliveryConfig.defaults()
                .withWorkers(2)
                .withPolling(Duration.ofMillis(10), 10)
                .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200), 4)
                // generous: a loaded build machine must not turn a slow answer into a timeout and a retry
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(10))
                .withStopTimeout(Duration.ofSeconds(5))
                .withJitter(() -> 1.0);
    }

    static DeliveryWorker worker(StoreFixture f, TestRecipient recipient, DeliveryListener listener,
                                 DeliveryConfig config) {
        HttpTransport transport = new HttpTransport(recipient.connectors(),
                HttpTransport.defaultClient(config.connectTimeout()), config.requestTimeout());
        return new DeliveryWorker(f.db.dataSource(), f.queue, transport, listener, config, Clock.systemUTC());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aMessageIsDeliveredOnceWithItsIdempotencyKey(TestDatabases.Kind kind) throws Exception {
        RecordingDeliveryListener listener = new RecordingDeliveryListener();
        try (StoreFixture f = StoreFixture.fresh(kind); TestRecipient recipient = TestRecipient.start();
             DeliveryWorker worker = worker(f, recipient, listener, config())) {
            OutboxItem item = f.queued("R-1", "welfare-b");
            worker.start();
            worker.wakeUp();
            await(WAIT, "delivered", () -> f.status(item.id()) == OutboxStatus.DELIVERED);
            // the row is in its final state: no later attempt can arrive, so what arrived is all there is

            assertThat(recipient.arrivals()).singleElement().satisfies(a -> {
                assertThat(a.idempotencyKey()).isEqualTo(item.messageId());
                assertThat(a.contentType()).isEqualTo("application/json");
                assertThat(a.body()).isEqualTo(item.payload());
            });
            OutboxItem row = f.row(item.id());
            assertThat(row.attempts()).isEqualTo(1);
            assertThat(row.deliveredAt()).isNotNull();
            assertThat(row.claimedBy()).isNull();
            assertThat(listener.events).extracting(RecordingDeliveryListener.Event::kind)
                    .containsExactly("attempted", "delivered");
            assertThat(listener.events).allSatisfy(e -> {
                assertThat(e.inTransaction()).as("told inside the row's transaction").isTrue();
                assertThat(e.payloadShown()).as("listeners never get the payload").isFalse();
            });
            assertThat(listener.of("attempted", item.messageId()).get(0).code()).isEqualTo("http.200");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aFailingRecipientIsRetriedWithGrowingDelaysThenGetsTheMessage(TestDatabases.Kind kind) throws Exception {
        RecordingDeliveryListener listener = new RecordingDeliveryListener();
        DeliveryConfig config = config().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), 5);
        try (StoreFixture f = StoreFixture.fresh(kind);
             TestRecipient recipient = TestRecipient.start().answering(500, 500, 500, 200);
             DeliveryWorker worker = worker(f, recipient, listener, config)) {
            OutboxItem item = f.queued("R-1", "welfare-b");
            worker.start();
            await(WAIT, "delivered", () -> f.status(item.id()) == OutboxStatus.DELIVERED);

            List<TestRecipient.Arrival> arrivals = recipient.arrivals();
            assertThat(arrivals).extracting(TestRecipient.Arrival::answered).containsExactly(500, 500, 500, 200);
            assertThat(arrivals).extracting(TestRecipient.Arrival::idempotencyKey).containsOnly(item.messageId());
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < arrivals.size(); i++) {
                gaps.add(Duration.between(arrivals.get(i - 1).at(), arrivals.get(i).at()).toMillis());
            }
            // windows of 100, 200 and 400 ms (jitter fixed at the whole window): each wait is at least its window,
            // which no retry can undercut; timing noise only adds, so the last wait stays well above the first
            assertThat(gaps.get(0)).isGreaterThanOrEqualTo(100);
            assertThat(gaps.get(1)).isGreaterThanOrEqualTo(200);
            assertThat(gaps.get(2)).isGreaterThanOrEqualTo(400).isGreaterThan(gaps.get(0) + 150);
            assertThat(listener.of("attempted", item.messageId())).extracting(RecordingDeliveryListener.Event::code)
                    .containsExactly("http.500", "http.500", "http.500", "http.200");
            assertThat(listener.of("attempted", item.messageId())).extracting(RecordingDeliveryListener.Event::attempt)
                    .containsExactly(1, 2, 3, 4);
            assertThat(f.row(item.id()).attempts()).isEqualTo(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aRecipientThatAlwaysFailsGetsMaxAttemptsThenTheMessageIsDeadLettered(TestDatabases.Kind kind)
            throws Exception {
        RecordingDeliveryListener listener = new RecordingDeliveryListener();
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (StoreFixture f = StoreFixture.fresh(kind); TestRecipient recipient = TestRecipient.start().answering(500);
             DeliveryWorker worker = worker(f, recipient, listener, config().withBackoff(Duration.ofMillis(10),
                     Duration.ofMillis(50), 3))) {
            OutboxItem item = f.queued("R-1", "welfare-b");
            worker.start();
            await(WAIT, "dead", () -> f.status(item.id()) == OutboxStatus.DEAD);
            // the row is in its final state: no later attempt can arrive, so what arrived is all there is

            assertThat(recipient.arrivals()).hasSize(3);
            OutboxItem row = f.row(item.id());
            assertThat(row.attempts()).isEqualTo(3);
            assertThat(row.lastErrorCode()).isEqualTo("http.500");
            assertThat(row.deadAt()).isNotNull();
            assertThat(listener.of("attempted", item.messageId())).hasSize(3);
            assertThat(listener.of("deadLettered", item.messageId())).singleElement()
                    .satisfies(e -> assertThat(e.code()).isEqualTo("http.500"));
            assertThat(listener.of("delivered", item.messageId())).isEmpty();
        } finally {
            System.setErr(stderr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("http.500");
        assertThat(logged).doesNotContain(StoreFixture.CANARY_NAME).doesNotContain(StoreFixture.CANARY_PHONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aRecipientThatTimesOutIsRetriedThenDeadLettered(TestDatabases.Kind kind) throws Exception {
        RecordingDeliveryListener listener = new RecordingDeliveryListener();
        DeliveryConfig config = config().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50), 2)
                .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(200), Duration.ofSeconds(5));
        try (StoreFixture f = StoreFixture.fresh(kind); TestRecipient recipient = TestRecipient.start().slow(Duration.ofSeconds(1));
             DeliveryWorker worker = worker(f, recipient, listener, config)) {
            OutboxItem item = f.queued("R-1", "welfare-b");
            worker.start();
            await(WAIT, "dead", () -> f.status(item.id()) == OutboxStatus.DEAD);

            assertThat(f.row(item.id()).lastErrorCode()).isEqualTo("http.timeout");
            assertThat(listener.of("attempted", item.messageId())).extracting(RecordingDeliveryListener.Event::code)
                    .containsExactly("http.timeout", "http.timeout");
            assertThat(listener.of("deadLettered", item.messageId())).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aRefusalIsDeadLetteredAtOnceAndCanBeRequeued(TestDatabases.Kind kind) throws Exception {
        RecordingDeliveryListener listener = new RecordingDeliveryListener();
        List<String> requeued = new ArrayList<>();
        try (StoreFixture f = StoreFixture.fresh(kind); TestRecipient recipient = TestRecipient.start().answering(404, 200);
             DeliveryWorker worker = worker(f, recipient, listener, config())) {
            OutboxItem item = f.queued("R-1", "welfare-b");
            worker.start();
            await(WAIT, "dead", () -> f.status(item.id()) == OutboxStatus.DEAD);
            assertThat(recipient.arrivals()).hasSize(1);
            assertThat(listener.of("deadLettered", item.messageId())).extracting(RecordingDeliveryListener.Event::code)
                    .containsExactly("http.404");

            DeadLetters deadLetters = new DeadLetters(f.db.dataSource(), f.queue, Clock.systemUTC(),
                    (c, letter, by) -> requeued.add(letter.messageId() + " " + letter.lastErrorCode() + " by " + by));
            assertThat(deadLetters.list(0, 50)).extracting(DeadLetter::id, DeadLetter::lastErrorCode, DeadLetter::attempts)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(item.id(), "http.404", 1));
            assertThat(deadLetters.requeue(item.id(), "admin-1")).isEqualTo(OutboxQueue.RequeueOutcome.REQUEUED);
            assertThat(requeued).containsExactly(item.messageId() + " http.404 by admin-1");
            worker.wakeUp();
            await(WAIT, "delivered", () -> f.status(item.id()) == OutboxStatus.DELIVERED);
            // the same Idempotency-Key again: the recipient can tell it is the same message
            assertThat(recipient.arrivals()).extracting(TestRecipient.Arrival::idempotencyKey)
                    .containsExactly(item.messageId(), item.messageId());
            assertThat(deadLetters.list(0, 50)).isEmpty();
            assertThat(deadLetters.requeue(item.id(), "admin-1")).isEqualTo(OutboxQueue.RequeueOutcome.NOT_DEAD);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aRecipientThatComesBackGetsTheRemainingMessagesInOrderPerReferral(TestDatabases.Kind kind)
            throws Exception {
        RecordingDeliveryListener listener = new RecordingDeliveryListener();
        TestRecipient before = TestRecipient.start();
        int port = before.port();
        Function<String, java.util.Optional<jp.tsunagi.gateway.config.Connector>> connectors = before.connectors();
        before.close(); // the recipient's system is down
        DeliveryConfig config = config().withWorkers(3).withBackoff(Duration.ofMillis(20), Duration.ofMillis(100), 100);
        try (StoreFixture f = StoreFixture.fresh(kind);
             DeliveryWorker worker = new DeliveryWorker(f.db.dataSource(), f.queue,
                     new HttpTransport(connectors, HttpTransport.defaultClient(config.connectTimeout()),
                             config.requestTimeout()), listener, config, Clock.systemUTC())) {
            List<OutboxItem> r1 = new ArrayList<>();
            List<OutboxItem> r2 = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                r1.add(f.queued("R-1", "welfare-b"));
                if (i < 3) {
                    r2.add(f.queued("R-2", "welfare-b"));
                }
            }
            worker.start();
            await(WAIT, "a few failed attempts", () -> listener.events.size() >= 6);
            // only the head of each referral's queue is tried while the recipient is down
            assertThat(listener.events).extracting(RecordingDeliveryListener.Event::messageId)
                    .containsOnly(r1.get(0).messageId(), r2.get(0).messageId());
            assertThat(listener.events).extracting(RecordingDeliveryListener.Event::code)
                    .allSatisfy(code -> assertThat(code).isIn("http.connect-failed", "http.connect-timeout"));

            try (TestRecipient after = TestRecipient.startOn(port)) {
                await(WAIT, "all delivered", () -> after.accepted().size() == 8);
                Thread.sleep(100);

                Map<String, Long> position = new java.util.HashMap<>();
                r1.forEach(i -> position.put(i.messageId(), i.orderKey()));
                List<String> keys = after.arrivals().stream().map(TestRecipient.Arrival::idempotencyKey).toList();
                assertThat(keys).doesNotHaveDuplicates().hasSize(8);
                assertThat(keys.stream().filter(position::containsKey).toList())
                        .containsExactlyElementsOf(r1.stream().map(OutboxItem::messageId).toList());
                assertThat(keys.stream().filter(k -> !position.containsKey(k)).toList())
                        .containsExactlyElementsOf(r2.stream().map(OutboxItem::messageId).toList());
            }
        }
    }

    /**
     * On H2, workers claiming at the same moment chose the same rows and all but one came back empty, to sleep until
     * the next poll: four workers delivered like one, and the backlog of the soak grew to twelve thousand copies.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void fourWorkersStartingTogetherDeliverFourCopiesAtOnce(TestDatabases.Kind kind) throws Exception {
        DeliveryConfig config = config().withWorkers(4).withPolling(Duration.ofHours(1), 1); // no second chance by polling
        try (StoreFixture f = StoreFixture.fresh(kind); TestRecipient recipient = TestRecipient.start().slow(Duration.ofMillis(500));
             DeliveryWorker worker = worker(f, recipient, DeliveryListener.NONE, config)) {
            for (int i = 0; i < 8; i++) {
                f.queued("R-" + i, "welfare-b");
            }
            worker.start();
            await(WAIT, "four copies on the wire at once", () -> recipient.peakInFlight() == 4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void concurrentWorkersNeverDeliverTheSameRowTwice(TestDatabases.Kind kind) throws Exception {
        DeliveryConfig config = config().withWorkers(4).withPolling(Duration.ofMillis(10), 3);
        try (StoreFixture f = StoreFixture.fresh(kind); TestRecipient recipient = TestRecipient.start().slow(Duration.ofMillis(5));
             DeliveryWorker worker = worker(f, recipient, DeliveryListener.NONE, config)) {
            List<OutboxItem> items = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                items.add(f.queued("R-" + (i % 40), "welfare-b"));
            }
            worker.start();
            // every row recorded DELIVERED, its final state: what arrived is all that will ever arrive
            await(WAIT, "all delivered", () -> items.stream().allMatch(i -> f.status(i.id()) == OutboxStatus.DELIVERED));

            Map<String, Long> perKey = recipient.arrivals().stream()
                    .collect(Collectors.groupingBy(TestRecipient.Arrival::idempotencyKey, Collectors.counting()));
            assertThat(perKey).hasSize(50).allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
            assertThat(recipient.peakConcurrentSameKey()).isEqualTo(1);
            assertThat(recipient.peakInFlight()).as("the workers did run in parallel").isGreaterThan(1);
            for (OutboxItem item : items) {
                assertThat(f.row(item.id()).status()).isEqualTo(OutboxStatus.DELIVERED);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void theRowsOfACrashedWorkerAreDeliveredWhenItsLeaseEnds(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind); TestRecipient recipient = TestRecipient.start();
             DeliveryWorker worker = worker(f, recipient, DeliveryListener.NONE, config())) {
            OutboxItem item = f.queued("R-1", "welfare-b");
            // a worker claims it and dies before sending or recording anything
            OutboxItem leased = f.tx(c -> f.queue.claim(c, "crashed-worker", Instant.now(), Duration.ofMillis(400), 5))
                    .leased().get(0);
            worker.start();
            await(WAIT, "delivered", () -> f.status(item.id()) == OutboxStatus.DELIVERED);

            assertThat(recipient.arrivals()).singleElement()
                    .satisfies(a -> assertThat(a.at()).isAfterOrEqualTo(leased.claimedUntil()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void nothingIsDeliveredUnderAWithdrawnConsent(TestDatabases.Kind kind) throws Exception {
        RecordingDeliveryListener listener = new RecordingDeliveryListener();
        try (StoreFixture f = StoreFixture.fresh(kind); TestRecipient recipient = TestRecipient.start();
             DeliveryWorker worker = worker(f, recipient, listener, config())) {
            OutboxItem a = f.queued("R-1", "welfare-b", "C-1");
            OutboxItem b = f.queued("R-2", "hello-work", "C-1");
            OutboxItem other = f.queued("R-3", "welfare-b", "C-2");
            List<OutboxItem> cancelled = f.tx(c -> {
                f.store.recordWithdrawal(c, "C-1", Instant.now(), "m-withdrawal");
                return f.store.cancelPendingUnderConsent(c, "C-1");
            });
            assertThat(cancelled).extracting(OutboxItem::id).containsExactlyInAnyOrder(a.id(), b.id());
            // enqueued by an intake transaction that raced with the withdrawal: stopped when claimed
            OutboxItem raced = f.queued("R-4", "tax-desk", "C-1");

            worker.start();
            await(WAIT, "other delivered", () -> f.status(other.id()) == OutboxStatus.DELIVERED);
            await(WAIT, "raced stopped", () -> f.status(raced.id()) == OutboxStatus.DEAD);
            // the row is in its final state: no later attempt can arrive, so what arrived is all there is

            assertThat(recipient.arrivals()).extracting(TestRecipient.Arrival::idempotencyKey)
                    .containsExactly(other.messageId());
            assertThat(f.row(raced.id()).lastErrorCode()).isEqualTo("consent.withdrawn");
            assertThat(listener.of("deadLettered", raced.messageId())).singleElement()
                    .satisfies(e -> assertThat(e.code()).isEqualTo("consent.withdrawn"));
            assertThat(listener.of("attempted", raced.messageId())).isEmpty();
            assertThat(f.<List<String>>tx(c -> f.store.recipientsThatReceivedUnderConsent(c, "C-1"))).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aWithdrawalAnsweredWhileTheFirstCopyOfABatchIsOnTheWireStopsTheSecondBeforeItStarts(TestDatabases.Kind kind)
            throws Exception {
        RecordingDeliveryListener listener = new RecordingDeliveryListener();
        CountDownLatch release = new CountDownLatch(1);
        try (StoreFixture f = StoreFixture.fresh(kind);
             TestRecipient recipient = TestRecipient.start().holdingFirstUntil(release);
             DeliveryWorker worker = worker(f, recipient, listener, config().withWorkers(1))) {
            OutboxItem first = f.queued("R-1", "welfare-b", "C-1");
            OutboxItem second = f.queued("R-2", "hello-work", "C-1");
            OutboxItem unrelated = f.queued("R-3", "tax-desk", "C-2");
            worker.start();
            await(WAIT, "the first copy on the wire", () -> recipient.peakInFlight() >= 1);
            assertThat(f.row(second.id()).claimedBy()).as("claimed in the same batch").isNotNull();

            // the withdrawal's transaction, as the intake commits it before answering 202
            MessageStore.Stopping stopping = f.tx(c -> {
                f.store.recordWithdrawal(c, "C-1", Instant.now(), "m-withdrawal");
                return f.store.stopUnderConsent(c, "C-1", Instant.now());
            });
            assertThat(stopping.stopped()).extracting(OutboxItem::id).containsExactly(second.id());
            assertThat(stopping.onTheWire()).extracting(OutboxItem::id).containsExactly(first.id());
            release.countDown();
            // the batch is worked in order: once the unrelated copy behind them is delivered, the worker is past both
            await(WAIT, "the rest of the batch", () -> f.status(unrelated.id()) == OutboxStatus.DELIVERED);

            assertThat(recipient.arrivals()).extracting(TestRecipient.Arrival::idempotencyKey)
                    .containsExactly(first.messageId(), unrelated.messageId());
            assertThat(f.row(first.id()).status()).isEqualTo(OutboxStatus.DELIVERED);
            OutboxItem stopped = f.row(second.id());
            assertThat(stopped.status()).isEqualTo(OutboxStatus.DEAD);
            assertThat(stopped.lastErrorCode()).isEqualTo("consent.withdrawn");
            assertThat(stopped.attempts()).isZero();
            assertThat(listener.of("attempted", second.messageId())).isEmpty();
            assertThat(f.<List<String>>tx(c -> f.store.recipientsThatReceivedUnderConsent(c, "C-1")))
                    .containsExactly("hello-work", "welfare-b"); // hello-work's copy was claimed: told, to be safe
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aCopyWhoseConsentExpiredAfterItWasQueuedIsStoppedNotSent(TestDatabases.Kind kind) throws Exception {
        RecordingDeliveryListener listener = new RecordingDeliveryListener();
        try (StoreFixture f = StoreFixture.fresh(kind); TestRecipient recipient = TestRecipient.start();
             DeliveryWorker worker = worker(f, recipient, listener, config())) {
            OutboxItem expired = f.queued("R-1", "welfare-b");
            OutboxItem valid = f.queued("R-2", "welfare-b");
            f.tx(c -> {
                f.store.recordConsentUse(c, "C-OLD", "R-1", expired.originalMessageId(), "welfare-b",
                        Instant.now().minusSeconds(60), Instant.now().minusSeconds(1));
                f.store.recordConsentUse(c, "C-NEW", "R-2", valid.originalMessageId(), "welfare-b",
                        Instant.now(), Instant.now().plusSeconds(3600));
                return null;
            });
            worker.start();
            await(WAIT, "expired stopped", () -> f.status(expired.id()) == OutboxStatus.DEAD);
            await(WAIT, "valid delivered", () -> f.status(valid.id()) == OutboxStatus.DELIVERED);

            assertThat(recipient.arrivals()).extracting(TestRecipient.Arrival::idempotencyKey)
                    .containsExactly(valid.messageId());
            assertThat(f.row(expired.id()).lastErrorCode()).isEqualTo("consent.expired");
            assertThat(listener.of("deadLettered", expired.messageId())).singleElement()
                    .satisfies(e -> assertThat(e.code()).isEqualTo("consent.expired"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void stopWaitsForTheDeliveryInFlight(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind); TestRecipient recipient = TestRecipient.start().slow(Duration.ofMillis(400))) {
            DeliveryWorker worker = worker(f, recipient, DeliveryListener.NONE, config());
            OutboxItem item = f.queued("R-1", "welfare-b");
            worker.start();
            await(WAIT, "request in flight", () -> recipient.peakInFlight() >= 1);

            assertThat(worker.stop()).isTrue();
            assertThat(worker.isRunning()).isFalse();
            assertThat(f.row(item.id()).status()).isEqualTo(OutboxStatus.DELIVERED);

            OutboxItem later = f.queued("R-2", "welfare-b");
            Thread.sleep(100);
            assertThat(f.row(later.id()).status()).as("stopped workers take nothing").isEqualTo(OutboxStatus.PENDING);
        }
    }
}
