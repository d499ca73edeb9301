package jp.tsunagi.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.intake.TestMessages;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.schema.signature.KeyMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a gateway process on H2 (SIGTERM, as systemd or Ctrl-C does) while copies are on the wire. */
class StopTest {
    @Test
    void aSigtermWhileCopiesAreOnTheWireRecordsTheirDeliveryBeforeTheH2DatabaseCloses(@TempDir Path dir)
            throws Exception {
        try (Recipient recipient = new Recipient()) {
            recipient.delay(1500);
            Path keys = dir.resolve("keys");
            for (String id : GatewayFixture.AGENCIES) {
                KeyMaterial.writeFiles(keys, id, id);
            }
            String url = "jdbc:h2:file:" + dir.resolve("db/tsunagi");
            Path conf = GatewayFixture.writeConf(dir, keys, recipient::endpoint, url, false);
            List<Load.Message> messages = Load.signedReferrals(new TestMessages(keys), 16, 0);
            Node gateway = Node.gateway(List.of("-Xmx256m"), conf, Bench.freePort(), dir.resolve("node"));
            try {
                assertThat(Load.post(List.of(gateway), messages, 4).acknowledged()).hasSize(16);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (recipient.arrived() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertThat(recipient.arrived()).as("every delivery worker has a copy on the wire").isGreaterThanOrEqualTo(4);
            } finally {
                gateway.close(); // SIGTERM; the recipient answers the copies on the wire 1.5 s later
            }

            Set<String> received = recipient.copyKeys(Load.RECIPIENT);
            assertThat(received).isNotEmpty();
            try (Database db = Database.open(url); Connection c = db.dataSource().getConnection();
                 PreparedStatement status = c.prepareStatement("SELECT status FROM outbox WHERE message_id = ?")) {
                for (String copy : received) {
                    status.setString(1, copy);
                    try (ResultSet rs = status.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        // the gateway closes the database last (serve handles SIGTERM itself): a benchmark's stop once logged
                        // outcomes "not recorded" because H2's own shutdown hook had closed it first; this scenario
                        // did not reproduce that on the old code, so it guards the order rather than proving the fix
                        assertThat(rs.getString(1)).as("copy " + copy).isEqualTo("DELIVERED");
                    }
                }
            }
        }
    }
}
