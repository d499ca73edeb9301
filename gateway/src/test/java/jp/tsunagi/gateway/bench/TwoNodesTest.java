package jp.tsunagi.gateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.intake.TestMessages;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.signature.KeyMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway processes on one PostgreSQL database (docs/operations-store.md, "Several nodes"): they share nothing
 * but the database, take messages and deliver them side by side, and one of them is killed (SIGKILL) mid-run.
 */
class TwoNodesTest {
    private static final int MESSAGES = 200;
    private static final int WORKERS = 4;

    @Test
    void everyMessageAcknowledgedByEitherOfTwoNodesIsDeliveredOnceWhenOneIsKilledMidRunAndTheChainStaysIntact(
            @TempDir Path dir) throws Exception {
        try (Recipient recipient = new Recipient()) {
            Path keys = dir.resolve("keys");
            for (String id : GatewayFixture.AGENCIES) {
                KeyMaterial.writeFiles(keys, id, id);
            }
            String url = TestDatabases.freshUrl(TestDatabases.Kind.POSTGRESQL);
            Path conf = GatewayFixture.writeConf(dir, keys, recipient::endpoint, url, true);
            // a short lease, so that the killed node's claimed rows come back within the test; timeouts generous
            // enough that a slow answer on a loaded machine is not retried (a retry would be a resend of its own)
            Files.writeString(conf.resolve("gateway.properties"), String.join("\n", "", "tsunagi.delivery.lease=10s",
                    "tsunagi.delivery.connect-timeout=2s", "tsunagi.delivery.request-timeout=5s",
                    "tsunagi.delivery.workers=" + WORKERS, ""), StandardOpenOption.APPEND);
            List<Load.Message> messages = Load.signedReferrals(new TestMessages(keys), MESSAGES, 0);
            List<String> jvm = List.of("-Xmx256m");

            ExecutorService starting = Executors.newFixedThreadPool(2);
            Future<Node> first = starting.submit(() -> Node.gateway(jvm, conf, Bench.freePort(), dir.resolve("a")));
            Future<Node> second = starting.submit(() -> Node.gateway(jvm, conf, Bench.freePort(), dir.resolve("b")));
            starting.shutdown();
            try (Node survivor = first.get(); Node killed = second.get()) {
                CompletableFuture<Load.Result> posting = CompletableFuture.supplyAsync(() -> {
                    try {
                        return Load.post(List.of(survivor, killed), messages, 8);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                assertThat(recipient.await(Load.RECIPIENT, MESSAGES / 4, Duration.ofSeconds(60))).isTrue();
                int duplicatesWhileBothRan = recipient.duplicates(Load.RECIPIENT);
                killed.kill();
                Load.Result result = posting.get();
                System.out.printf("two nodes: %d acknowledged, %d refused or cut off by the kill, %d resent%n",
                        result.acknowledged().size(), result.refused(), recipient.duplicates(Load.RECIPIENT));

                assertThat(result.acknowledged()).as("the survivor kept acknowledging").hasSizeGreaterThan(MESSAGES / 2);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!result.acknowledged().stream().allMatch(id -> recipient.received(Load.RECIPIENT, id))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(result.acknowledged()).as("every acknowledged message delivered")
                        .allMatch(id -> recipient.received(Load.RECIPIENT, id));
                assertThat(duplicatesWhileBothRan).as("no row claimed by both nodes").isZero();
                assertThat(recipient.messagesInSeveralCopies(Load.RECIPIENT)).as("one copy per message").isZero();
                // a copy the killed node had sent but not yet recorded is sent again (same Idempotency-Key, so the
                // recipient's dedup processes it once): at most one per delivery worker of that node
                assertThat(recipient.duplicates(Load.RECIPIENT)).isLessThanOrEqualTo(WORKERS);
            }
            try (Database db = Database.open(url, "postgres", "postgres")) {
                assertThat(new AuditVerifier(AgencyDirectory.inConfDirectory(conf).keyResolver())
                        .verify(db.dataSource()).intact()).as("one intact audit chain").isTrue();
            }
        }
    }
}
