package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.ReferralStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MessageStoreTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aSavedMessageComesBackDecryptedAndIsStoredOnlyAsCiphertext(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            byte[] payload = StoreFixture.document("m");
            byte[] receipt = "{\"receipt\":1}".getBytes(StandardCharsets.UTF_8);
            StoredMessage m = StoredMessage.accepted(UUID.randomUUID().toString(), MessageType.REFERRAL, "hub-a",
                    "welfare-b", "R-1", Instant.parse("2025-04-01T09:00:00.123456789Z"), StoreFixture.sha256(payload),
                    MessageFormat.XML, payload, receipt);
            f.tx(c -> {
                f.store.saveMessage(c, m);
                return null;
            });

            StoredMessage found = f.tx(c -> f.store.find(c, m.messageId())).orElseThrow();
            assertThat(found.payload()).isEqualTo(payload);
            assertThat(found.receipt()).isEqualTo(receipt);
            assertThat(found.receivedAt()).isEqualTo(Instant.parse("2025-04-01T09:00:00.123456Z"));
            assertThat(found.format()).isEqualTo(MessageFormat.XML);
            assertThat(found.toString()).doesNotContain(StoreFixture.CANARY_NAME);
            assertThat(f.<java.util.Optional<StoredMessage>>tx(c -> f.store.find(c, "nope"))).isEmpty();
            assertThat(rawText(f, "SELECT payload_enc, receipt_enc FROM message"))
                    .doesNotContain(StoreFixture.CANARY_NAME).doesNotContain(StoreFixture.CANARY_PHONE)
                    .doesNotContain("receipt");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aRepeatGetsTheOriginalReceiptAndAConflictIsSeen(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            byte[] payload = StoreFixture.document("m");
            StoredMessage unanswered = StoreFixture.message("R-1", "hub-a", "welfare-b", payload);
            StoredMessage m = StoredMessage.accepted(unanswered.messageId(), unanswered.messageType(), unanswered.sender(),
                    unanswered.recipient(), unanswered.referralId(), unanswered.receivedAt(), unanswered.contentSha256(),
                    unanswered.format(), payload, "receipt-1".getBytes(StandardCharsets.UTF_8));
            String hash = m.contentSha256();
            assertThat(f.tx(c -> f.store.checkRepeat(c, m.messageId(), hash)).outcome())
                    .isEqualTo(IdempotencyCheck.Outcome.NEW);
            f.tx(c -> {
                f.store.saveMessage(c, m);
                return null;
            });

            IdempotencyCheck repeat = f.tx(c -> f.store.checkRepeat(c, m.messageId(), hash));
            assertThat(repeat.outcome()).isEqualTo(IdempotencyCheck.Outcome.REPEAT);
            assertThat(new String(repeat.receipt(), StandardCharsets.UTF_8)).isEqualTo("receipt-1");
            assertThat(f.tx(c -> f.store.checkRepeat(c, m.messageId(), StoreFixture.sha256(new byte[1]))).outcome())
                    .isEqualTo(IdempotencyCheck.Outcome.CONFLICT);
            assertThatThrownBy(() -> f.tx(c -> {
                f.store.saveMessage(c, m);
                return null;
            })).isInstanceOf(DuplicateMessageException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void twoConcurrentSubmissionsOfOneMessageStoreItOnce(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind); Connection first = f.db.dataSource().getConnection()) {
            StoredMessage m = StoreFixture.message("R-1", "hub-a", "welfare-b", StoreFixture.document("m"));
            first.setAutoCommit(false);
            f.store.saveMessage(first, m);
            // the second waits for the first transaction, then sees the duplicate
            CompletableFuture<Object> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return f.tx(c -> {
                        f.store.saveMessage(c, m);
                        return "stored twice";
                    });
                } catch (Exception e) {
                    return e;
                }
            });
            Thread.sleep(200);
            first.commit();
            first.setAutoCommit(true);
            assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(DuplicateMessageException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void eachQueueOfReferralAndRecipientGetsIncreasingPositions(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem a1 = f.queued("R-1", "welfare-b");
            OutboxItem a2 = f.queued("R-1", "welfare-b");
            OutboxItem b1 = f.queued("R-1", "hello-work");
            OutboxItem c1 = f.queued("R-2", "welfare-b");
            OutboxItem a3 = f.queued("R-1", "welfare-b");

            assertThat(List.of(a1.orderKey(), a2.orderKey(), a3.orderKey())).containsExactly(1L, 2L, 3L);
            assertThat(b1.orderKey()).isEqualTo(1);
            assertThat(c1.orderKey()).isEqualTo(1);
            OutboxItem stored = f.row(a2.id());
            assertThat(stored.status()).isEqualTo(OutboxStatus.PENDING);
            assertThat(stored.attempts()).isZero();
            assertThat(stored.messageId()).isEqualTo(a2.messageId());
            assertThat(f.<List<OutboxItem>>tx(c -> f.store.outboxOf(c, a2.originalMessageId()))).extracting(OutboxItem::id)
                    .containsExactly(a2.id());
            assertThat(f.<java.util.Optional<OutboxItem>>tx(c -> f.store.findOutbox(c, a3.messageId()))).get().extracting(OutboxItem::orderKey)
                    .isEqualTo(3L);
            assertThat(rawText(f, "SELECT payload_enc FROM outbox")).doesNotContain(StoreFixture.CANARY_NAME);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void referralStateAndHistoryAreKept(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            Instant t0 = Instant.parse("2025-04-01T09:00:00Z");
            ReferralRecord sent = new ReferralRecord("R-1", "hub-a", "welfare-b", ReferralStatus.SENT, "C-1",
                    "pseudonym-1", t0, t0);
            f.tx(c -> {
                f.store.upsertReferral(c, sent);
                f.store.appendReferralEvent(c, new ReferralEvent("R-1", ReferralStatus.SENT, t0, "hub-a", null, "m1"));
                return null;
            });
            Instant t1 = t0.plus(Duration.ofHours(2));
            f.tx(c -> {
                ReferralRecord current = f.store.lockReferral(c, "R-1").orElseThrow();
                f.store.upsertReferral(c, current.withStatus(ReferralStatus.DECLINED, t1));
                f.store.appendReferralEvent(c, new ReferralEvent("R-1", ReferralStatus.DECLINED, t1, "welfare-b",
                        "OUT_OF_AREA", "m2"));
                return null;
            });

            ReferralRecord now = f.tx(c -> f.store.findReferral(c, "R-1")).orElseThrow();
            assertThat(now.status()).isEqualTo(ReferralStatus.DECLINED);
            assertThat(now.createdAt()).isEqualTo(t0);
            assertThat(now.updatedAt()).isEqualTo(t1);
            assertThat(now.consentId()).isEqualTo("C-1");
            assertThat(f.<List<ReferralEvent>>tx(c -> f.store.referralHistory(c, "R-1")))
                    .extracting(ReferralEvent::status, ReferralEvent::byAgency, ReferralEvent::reason)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(ReferralStatus.SENT, "hub-a", null),
                            org.assertj.core.groups.Tuple.tuple(ReferralStatus.DECLINED, "welfare-b", "OUT_OF_AREA"));
            assertThat(f.<java.util.Optional<ReferralRecord>>tx(c -> f.store.findReferral(c, "R-9"))).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aWithdrawalStopsPendingCopiesAndNamesWhoReceivedData(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem delivered = f.queued("R-1", "welfare-b", "C-1");
            OutboxItem pending = f.queued("R-2", "hello-work", "C-1");
            OutboxItem inFlight = f.queued("R-3", "tax-desk", "C-1");
            OutboxItem otherConsent = f.queued("R-4", "hello-work", "C-2");
            Instant now = Instant.now();
            f.tx(c -> {
                OutboxQueue.Claim claim = f.queue.claim(c, "w1", now, Duration.ofMinutes(5), 10);
                assertThat(claim.leased()).hasSize(4);
                f.queue.markDelivered(c, delivered, "w1", now);
                f.queue.release(c, pending, "w1");
                f.queue.release(c, otherConsent, "w1");
                return null; // inFlight stays leased to w1, as if being sent right now
            });

            List<OutboxItem> cancelled = f.tx(c -> {
                assertThat(f.store.recordWithdrawal(c, "C-1", now, "m-withdrawal")).isTrue();
                return f.store.cancelPendingUnderConsent(c, "C-1");
            });
            assertThat(cancelled).extracting(OutboxItem::id).containsExactlyInAnyOrder(pending.id(), inFlight.id());
            assertThat(cancelled).allSatisfy(i -> {
                assertThat(i.status()).isEqualTo(OutboxStatus.DEAD);
                assertThat(i.lastErrorCode()).isEqualTo(MessageStore.CONSENT_WITHDRAWN);
                assertThat(i.payload()).isNull();
            });
            assertThat(f.row(pending.id()).status()).isEqualTo(OutboxStatus.DEAD);
            assertThat(f.row(otherConsent.id()).status()).isEqualTo(OutboxStatus.PENDING);
            assertThat(f.row(delivered.id()).status()).isEqualTo(OutboxStatus.DELIVERED);
            // welfare-b got it; tax-desk may have (it was in flight); hello-work never had it
            assertThat(f.<List<String>>tx(c -> f.store.recipientsThatReceivedUnderConsent(c, "C-1")))
                    .containsExactly("tax-desk", "welfare-b");

            // the in-flight copy arrives after all: it stays dead, with the time it arrived
            assertThat(f.<Boolean>tx(c -> f.queue.markDelivered(c, inFlight, "w1", Instant.now()))).isTrue();
            OutboxItem late = f.row(inFlight.id());
            assertThat(late.status()).isEqualTo(OutboxStatus.DEAD);
            assertThat(late.deliveredAt()).isNotNull();

            assertThat(f.<Boolean>tx(c -> f.store.recordWithdrawal(c, "C-1", now.plusSeconds(5), "again"))).isFalse();
            assertThat(f.<java.util.Optional<Instant>>tx(c -> f.store.withdrawnAt(c, "C-1"))).contains(now.truncatedTo(ChronoUnit.MICROS));
            assertThat(f.<java.util.Optional<Instant>>tx(c -> f.store.withdrawnAt(c, "C-2"))).isEmpty();
            assertThat(f.<OutboxQueue.RequeueOutcome>tx(c -> f.queue.requeue(c, pending.id(), Instant.now())))
                    .isEqualTo(OutboxQueue.RequeueOutcome.CONSENT_WITHDRAWN);
        }
    }

    /** The encrypted columns as text, to show nothing readable is in them. */
    static String rawText(StoreFixture f, String sql) throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection c = f.db.dataSource().getConnection(); var r = c.createStatement().executeQuery(sql)) {
            while (r.next()) {
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    byte[] bytes = r.getBytes(i);
                    if (bytes != null) {
                        assertThat(bytes.length).isPositive();
                        text.append(new String(bytes, StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return text.toString();
    }
}
