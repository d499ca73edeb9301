package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The receipt's auditSeq is answered at once, before the entry is chained (docs/architecture.md D12), and names the
 * ACCEPTED entry of that message once it is: {@code audit_entry.entry_id}.
 */
class ReceiptAuditSeqTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void the_receipts_audit_seq_names_the_accepted_entry_of_the_message_in_the_chain(TestDatabases.Kind kind) throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, kind)) {
            ObjectNode f1 = g.sample("F1-");
            HttpResponse<byte[]> accepted = g.send(f1);
            assertThat(accepted.statusCode()).isEqualTo(202);
            long auditSeq = new MessageReader().read(accepted.body()).getReceipt().getAuditSeq();
            ObjectNode second = g.sample("F1-", m -> m.put("referralId", "REF-2026-000999"));
            HttpResponse<byte[]> alsoAccepted = g.send(second);
            assertThat(alsoAccepted.statusCode()).isEqualTo(202);
            Message secondReceipt = new MessageReader().read(alsoAccepted.body());

            String messageId = f1.get("messageId").asText();
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM audit_entry WHERE entry_id = " + auditSeq
                    + " AND action = 'ACCEPTED' AND message_id = '" + messageId + "'")).isEqualTo(1);
            assertThat(secondReceipt.getReceipt().getAuditSeq()).as("never reused").isGreaterThan(auditSeq);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void health_and_metrics_report_the_audit_chains_backlog(TestDatabases.Kind kind) throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, kind)) {
            assertThat(g.send(g.sample("F1-")).statusCode()).isEqualTo(202);
            g.gateway.awaitAuditChained();
            // the sequencer observes the backlog every cycle: wait until it has seen the chain caught up
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            JsonNode chain = auditChain(g);
            while (chain.path("unchained").asLong(-1) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                chain = auditChain(g);
            }

            assertThat(chain.toString()).isEqualTo(
                    "{\"unchained\":0,\"lagSeconds\":0.0,\"overdue\":false,\"sequencer\":\"this node\"}");
            // delivery goes on writing entries meanwhile: the gauges are there, their values move
            assertThat(g.get("/metrics", null).body()).contains("# TYPE tsunagi_audit_unchained_entries gauge\n")
                    .contains("# TYPE tsunagi_audit_chain_lag_seconds gauge\n");
        }
    }

    private static JsonNode auditChain(GatewayFixture g) throws Exception {
        return JsonCodec.mapper().readTree(g.get("/api/v1/health", null).body()).path("auditChain");
    }
}
