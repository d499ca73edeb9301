package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A recipient that fails, then one that comes back, through the real gateway: retries, dead letters, order, audit. */
class DeliveryFailureEndToEndTest {
    private static final String CANARY_FAMILY = "鳥羽";
    private static final String CANARY_GIVEN = "カナリア";
    private static final String CANARY_PHONE = "090-0000-4649";

    @TempDir
    java.nio.file.Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aRecipientThatKeepsFailingIsRetriedThenDeadLetteredWithAuditAndTheReferralFailsAndThePersonAppearsNowhereInClear(TestDatabases.Kind kind)
            throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
        try (GatewayFixture g = new GatewayFixture(dir, kind)) {
            g.recipients.answerWith(500);
            ObjectNode referral = g.sample("F6-", m -> {
                ((ObjectNode) m.at("/referral/subject/name")).put("family", CANARY_FAMILY).put("given", CANARY_GIVEN);
                ((ArrayNode) m.at("/referral/subject/contact/phones")).removeAll().add(CANARY_PHONE);
            });
            assertThat(g.send(referral).statusCode()).isEqualTo(202);

            awaitSql(g, "SELECT COUNT(*) FROM outbox WHERE status = 'DEAD'", 1);
            assertThat(g.recipients.requests()).isEqualTo(4);
            assertThat(count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'DELIVERY_ATTEMPT'")).isEqualTo(4);
            assertThat(count(g, "SELECT COUNT(*) FROM audit_entry WHERE action = 'DEAD_LETTERED'")).isEqualTo(1);
            assertThat(count(g, "SELECT COUNT(*) FROM referral WHERE status = 'FAILED'")).isEqualTo(1);

            // the person's data is stored encrypted and appears nowhere else: audit, referral state, metrics, logs
            List<String> texts = new ArrayList<>(List.of(rows(g, "audit_entry"), rows(g, "provision_record"), rows(g, "referral"),
                    rows(g, "referral_event"), rows(g, "message"), rows(g, "outbox"), g.get("/metrics", null).body(),
                    logs.toString(StandardCharsets.UTF_8)));
            for (String text : texts) {
                assertThat(text).doesNotContain(CANARY_FAMILY).doesNotContain(CANARY_GIVEN).doesNotContain(CANARY_PHONE);
            }
        } finally {
            System.setErr(originalErr);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void aRecipientThatComesBackGetsTheRemainingCopiesInOrderPerReferral(TestDatabases.Kind kind) throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, kind, "tsunagi.delivery.max-attempts=50\n")) {
            g.recipients.answerWith(503);
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String marker = "つなぎ" + i;
                ObjectNode referral = g.sample("F6-", m -> ((ObjectNode) m.get("referral")).put("chiefComplaint", marker));
                assertThat(g.send(referral).statusCode()).isEqualTo(202);
                sent.add(marker);
            }
            Thread.sleep(300);
            assertThat(g.recipients.processed()).isEmpty();
            g.recipients.answerWith(200);

            List<String> arrived = new ArrayList<>();
            for (RecipientSimulator.Received copy : g.awaitCopies("tsunagi-hub", 3)) {
                arrived.add(new MessageReader().read(copy.body()).getReferral().getChiefComplaint());
            }
            assertThat(arrived).containsExactlyElementsOf(sent);
        }
    }

    private static void awaitSql(GatewayFixture g, String sql, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (count(g, sql) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(count(g, sql)).isEqualTo(expected);
    }

    private static long count(GatewayFixture g, String sql) throws Exception {
        try (var c = g.gateway.database().dataSource().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every column of every row as text (binary columns as their bytes read as UTF-8). */
    private static String rows(GatewayFixture g, String table) throws Exception {
        StringBuilder all = new StringBuilder();
        try (var c = g.gateway.database().dataSource().getConnection();
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + table)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    Object value = rs.getObject(i);
                    all.append(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value)).append('|');
                }
            }
        }
        return all.toString();
    }
}
