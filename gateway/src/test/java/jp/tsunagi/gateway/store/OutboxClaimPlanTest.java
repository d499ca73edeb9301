package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The delivery workers' claim query on PostgreSQL reads the outbox through an index, not the whole table: a
 * gateway's outbox holds every copy ever delivered until retention, and each worker claims several times a second.
 */
class OutboxClaimPlanTest {
    @Test
    void theClaimReadsTheDueRowsThroughAnIndexWhenTheOutboxHoldsManyDeliveredCopies() throws Exception {
        try (StoreFixture f = StoreFixture.fresh(TestDatabases.Kind.POSTGRESQL);
             Connection c = f.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO outbox (message_id, recipient, referral_id, media_type, status, attempts,"
                    + " next_attempt_at, created_at, delivered_at, order_key) SELECT 'm-' || g, 'tsunagi-hub', 'R-' || g,"
                    + " 'application/json', 'DELIVERED', 1, now() - interval '1 day', now(), now(), 1"
                    + " FROM generate_series(1, 50000) g");
            s.execute("INSERT INTO outbox (message_id, recipient, referral_id, media_type, status, attempts,"
                    + " next_attempt_at, created_at, order_key) SELECT 'p-' || g, 'tsunagi-hub', 'Q-' || g,"
                    + " 'application/json', 'PENDING', 0, now() - interval '1 second' * g, now(), 1"
                    + " FROM generate_series(1, 50) g");
            s.execute("ANALYZE outbox");
            List<String> plan = new ArrayList<>();
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + f.queue.claimSql(true))) {
                Instant now = Instant.now();
                Rows.setTime(explain, 1, now);
                Rows.setTime(explain, 2, now);
                explain.setInt(3, 10);
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
            }
            String text = String.join("\n", plan);
            assertThat(text).as(text).doesNotContain("Seq Scan on outbox").containsPattern("Index.* on outbox o");
        }
    }
}
