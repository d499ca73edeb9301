package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionPurgerTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void onlyDocumentsOfFinishedMessagesOlderThanTheRetentionArePurged(TestDatabases.Kind kind) throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem deliveredOld = f.queued("R-1", "welfare-b");
            OutboxItem deadOld = f.queued("R-2", "welfare-b");
            OutboxItem deliveredRecent = f.queued("R-3", "welfare-b");
            OutboxItem pendingOld = f.queued("R-4", "welfare-b");
            Instant now = Instant.now();
            Instant old = now.minus(Duration.ofDays(40));
            f.tx(c -> {
                f.queue.claim(c, "w", now, Duration.ofMinutes(1), 10);
                f.queue.markDelivered(c, deliveredOld, "w", old);
                f.queue.markDead(c, deadOld, "w", old, "http.404");
                f.queue.markDelivered(c, deliveredRecent, "w", now);
                f.queue.release(c, pendingOld, "w");
                return null;
            });
            for (OutboxItem item : List.of(deliveredOld, deadOld, deliveredRecent, pendingOld)) {
                receivedAt(f, item.originalMessageId(), item == deliveredRecent ? now : old);
            }
            List<String> purged = new CopyOnWriteArrayList<>();
            RetentionPurger purger = new RetentionPurger(f.db.dataSource(), Duration.ofDays(30), Clock.systemUTC(),
                    (c, what, messageId, at) -> purged.add(what + ":" + messageId));

            RetentionPurger.Report report = purger.purge();

            assertThat(report.outbox()).isEqualTo(2);
            // the old messages whose copies are all finished; not the one still pending, not the recent one
            assertThat(report.messages()).isEqualTo(2);
            assertThat(purged).containsExactlyInAnyOrder("OUTBOX:" + deliveredOld.messageId(),
                    "OUTBOX:" + deadOld.messageId(), "MESSAGE:" + deliveredOld.originalMessageId(),
                    "MESSAGE:" + deadOld.originalMessageId());
            assertThat(f.row(deliveredOld.id()).payloadPurgedAt()).isNotNull();
            assertThat(f.row(deliveredRecent.id()).payloadPurgedAt()).isNull();
            assertThat(f.row(pendingOld.id()).payloadPurgedAt()).isNull();
            assertThat(f.tx(c -> f.queue.claim(c, "w2", Instant.now(), Duration.ofMinutes(1), 10)).leased())
                    .singleElement().satisfies(i -> assertThat(i.payload()).isNotNull());

            StoredMessage gone = f.tx(c -> f.store.find(c, deliveredOld.originalMessageId())).orElseThrow();
            assertThat(gone.payload()).isNull();
            assertThat(gone.payloadPurgedAt()).isNotNull();
            // the row, its hash and its history stay: a late repeat is still recognized
            assertThat(f.tx(c -> f.store.checkRepeat(c, gone.messageId(), gone.contentSha256())).outcome())
                    .isEqualTo(IdempotencyCheck.Outcome.REPEAT);
            assertThat(f.<java.util.Optional<StoredMessage>>tx(c -> f.store.find(c, pendingOld.originalMessageId())).orElseThrow().payload()).isNotNull();
            assertThat(f.<OutboxQueue.RequeueOutcome>tx(c -> f.queue.requeue(c, deadOld.id(), now)))
                    .isEqualTo(OutboxQueue.RequeueOutcome.PAYLOAD_PURGED);

            assertThat(purger.purge()).isEqualTo(new RetentionPurger.Report(0, 0));
        }
    }

    @org.junit.jupiter.api.Test
    void theRetentionIsReadFromTheProperties() {
        java.util.Properties p = new java.util.Properties();
        assertThat(RetentionPurger.retention(p)).isEqualTo(RetentionPurger.DEFAULT_RETENTION);
        p.setProperty(RetentionPurger.RETENTION_PROPERTY, "P30D");
        assertThat(RetentionPurger.retention(p)).isEqualTo(Duration.ofDays(30));
        p.setProperty(RetentionPurger.RETENTION_PROPERTY, "30 days");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RetentionPurger.retention(p))
                .hasMessageContaining(RetentionPurger.RETENTION_PROPERTY);
    }

    private static void receivedAt(StoreFixture f, String messageId, Instant at) throws Exception {
        try (Connection c = f.db.dataSource().getConnection();
             var s = c.prepareStatement("UPDATE message SET received_at = ? WHERE message_id = ?")) {
            s.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            s.setString(2, messageId);
            s.executeUpdate();
        }
    }
}
