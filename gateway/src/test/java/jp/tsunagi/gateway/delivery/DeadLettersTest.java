package jp.tsunagi.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import jp.tsunagi.gateway.policy.CopyLawfulness;
import jp.tsunagi.gateway.store.DeadLetter;
import jp.tsunagi.gateway.store.OutboxItem;
import jp.tsunagi.gateway.store.OutboxQueue.RequeueOutcome;
import jp.tsunagi.gateway.store.OutboxStatus;
import jp.tsunagi.gateway.store.StoreFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A dead letter is requeued only while its lawful basis holds, and never once cancelled. */
class DeadLettersTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aRequeueIsRefusedForAnExpiredConsentOrASuspendedRecipientAndACancelledCopyLeavesTheList(TestDatabases.Kind kind)
            throws Exception {
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem expired = dead(f, f.queued("R-1", "welfare-b"));
            OutboxItem suspended = dead(f, f.queued("R-2", "welfare-held"));
            OutboxItem cancelled = dead(f, f.queued("R-3", "welfare-b"));
            OutboxItem lawful = dead(f, f.queued("R-4", "welfare-b"));
            f.tx(c -> {
                f.store.recordConsentUse(c, "C-OLD", "R-1", expired.originalMessageId(), "welfare-b",
                        Instant.now().minusSeconds(60), Instant.now().minusSeconds(1));
                return null;
            });
            DeadLetters letters = new DeadLetters(f.db.dataSource(), f.queue, new CopyLawfulness(), Set.of("welfare-held"),
                    Clock.systemUTC(), DeadLetters.Listener.NONE);

            DeadLetters.Requeue afterExpiry = f.tx(c -> letters.requeue(c, expired.id(), "admin-1"));
            DeadLetters.Requeue toSuspended = f.tx(c -> letters.requeue(c, suspended.id(), "admin-1"));
            boolean first = f.tx(c -> letters.cancel(c, cancelled.id()));
            boolean second = f.tx(c -> letters.cancel(c, cancelled.id()));
            DeadLetters.Requeue afterCancel = f.tx(c -> letters.requeue(c, cancelled.id(), "admin-1"));

            assertThat(afterExpiry).isEqualTo(new DeadLetters.Requeue(RequeueOutcome.NOT_LAWFUL, "consent.expired"));
            assertThat(toSuspended).isEqualTo(new DeadLetters.Requeue(RequeueOutcome.NOT_LAWFUL, "recipient.suspended"));
            assertThat(first).isTrue();
            assertThat(second).as("cancelled once only").isFalse();
            assertThat(afterCancel.outcome()).isEqualTo(RequeueOutcome.CANCELLED);
            assertThat(letters.list(0, 50)).extracting(DeadLetter::id)
                    .containsExactly(expired.id(), suspended.id(), lawful.id());

            DeadLetters.Requeue requeued = f.tx(c -> letters.requeue(c, lawful.id(), "admin-1"));
            assertThat(requeued.requeued()).isTrue();

            assertThat(f.status(expired.id())).isEqualTo(OutboxStatus.DEAD);
            assertThat(f.status(suspended.id())).isEqualTo(OutboxStatus.DEAD);
            assertThat(f.status(cancelled.id())).isEqualTo(OutboxStatus.DEAD);
            assertThat(f.status(lawful.id())).isEqualTo(OutboxStatus.PENDING);
        }
    }

    /** The row as the workers leave a refused copy: a dead letter with code http.404. */
    private static OutboxItem dead(StoreFixture f, OutboxItem row) throws Exception {
        f.tx(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE outbox SET status = 'DEAD', dead_at = CURRENT_TIMESTAMP,"
                    + " attempts = 1, last_error_code = 'http.404' WHERE id = ?")) {
                s.setLong(1, row.id());
                return s.executeUpdate();
            }
        });
        return row;
    }
}
