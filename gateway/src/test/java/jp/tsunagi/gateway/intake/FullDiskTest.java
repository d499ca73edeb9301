package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.store.FullDisk;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.signature.MessageSignatures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, "a full disk under the database": the disk under the H2 file fills up (every write fails as ENOSPC does,
 * through H2's pluggable file system, no root needed), and the gateway must fail closed and come back by itself.
 */
class FullDiskTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @TempDir
    Path dir;

    @AfterEach
    void freeTheDisk() {
        FullDisk.free();
    }

    @Test
    void whileTheDiskIsFullEveryMessageIsRefused503StoreUnavailableAndIntakeResumesByItselfWhenSpaceReturns() throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, FullDisk.url(dir.resolve("db")), false, "")) {
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                assertThat(send(g, accepted).statusCode()).isEqualTo(202);
            }
            g.awaitCopies("tsunagi-hub", accepted.size());

            FullDisk.fill();
            // sent side by side: with no connection to be had, each waits for the pool's connection timeout (30 s)
            List<String> refused = java.util.Collections.synchronizedList(new ArrayList<String>());
            var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
            List<java.util.concurrent.Future<HttpResponse<byte[]>>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(pool.submit(() -> send(g, refused, true)));
            }
            var readiness = pool.submit(() -> g.get("/api/v1/health/ready", null));
            for (var future : answers) {
                HttpResponse<byte[]> answer = future.get();
                String body = new String(answer.body(), StandardCharsets.UTF_8);
                assertThat(answer.statusCode()).as(body).isEqualTo(503);
                assertThat(JsonCodec.mapper().readTree(body).path("code").asText()).isEqualTo("store.unavailable");
                assertThat(body).doesNotContain("Exception").doesNotContain("space");
            }
            HttpResponse<String> ready = readiness.get();
            assertThat(ready.statusCode()).as("readiness says what intake experiences: " + ready.body()).isEqualTo(503);
            pool.shutdown();
            assertThat(refused).hasSize(6);

            FullDisk.free();
            int firstAccepted = -1;
            for (int i = 0; i < 30 && firstAccepted < 0; i++) {
                if (send(g, accepted).statusCode() == 202) {
                    firstAccepted = i;
                }
            }
            assertThat(firstAccepted).as("a valid message accepted again, without a restart, once space returned").isBetween(0, 10);
            for (int i = 0; i < 5; i++) {
                assertThat(send(g, accepted).statusCode()).isEqualTo(202);
            }

            List<String> delivered = g.awaitCopies("tsunagi-hub", accepted.size()).stream()
                    .map(copy -> JsonCodec.parse(copy.body()).path("provenance").path("originalMessageId").asText()).toList();
            assertThat(delivered).as("every acknowledged message delivered exactly once").containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(g.copiesQueuedFor("tsunagi-hub")).isEqualTo(accepted.size());
            assertThat(Canary.count(g, "SELECT COUNT(*) FROM message WHERE message_id IN ('" + String.join("','", refused) + "')"))
                    .as("nothing of a refused message was written").isZero();
            assertThat(new AuditVerifier(g.agencies.keyResolver()).verify(g.gateway.database().dataSource()).intact())
                    .as("audit verify: the chain is intact").isTrue();
        }
    }

    /** Sends a valid message (Hello Work to the hub); its id joins the list if it was accepted. */
    private static HttpResponse<byte[]> send(GatewayFixture g, List<String> accepted) throws Exception {
        return send(g, accepted, false);
    }

    private static HttpResponse<byte[]> send(GatewayFixture g, List<String> ids, boolean whatever) throws Exception {
        ObjectNode message = g.sample("F6-", m -> m.put("referralId", "REF-2026-" + (200000 + SEQUENCE.incrementAndGet())));
        HttpResponse<byte[]> answer = g.post(MessageSignatures.sign(JsonCodec.write(message), g.key("tsunagi-hellowork")), "application/json");
        if (whatever || answer.statusCode() == 202) {
            ids.add(message.get("messageId").asText());
        }
        return answer;
    }
}
