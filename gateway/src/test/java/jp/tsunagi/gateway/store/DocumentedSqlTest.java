package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SQL that docs/operations-store.md gives administrators runs on both databases and does what it says. */
class DocumentedSqlTest {
    private static final Path GUIDE = Path.of("..", "docs", "operations-store.md");

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void theGuidesQueriesWorkAndItsRequeueKeepsTheConsentCheck(TestDatabases.Kind kind) throws Exception {
        List<String> statements = sqlOfGuide();
        String list = statements.stream().filter(s -> s.startsWith("SELECT id, message_id")).findFirst().orElseThrow();
        String requeue = statements.stream().filter(s -> s.startsWith("UPDATE outbox")).findFirst().orElseThrow();
        List<String> monitoring = statements.stream().filter(s -> s.startsWith("SELECT COUNT")
                || s.startsWith("SELECT recipient")).toList();
        assertThat(monitoring).hasSize(2);
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem refused = f.queued("R-1", "welfare-b");
            OutboxItem withdrawn = f.queued("R-2", "welfare-b", "C-1");
            Instant now = Instant.now();
            f.tx(c -> {
                f.queue.claim(c, "w", now, Duration.ofMinutes(1), 10);
                f.queue.markDead(c, refused, "w", now, "http.404");
                // dead for another reason first, then the consent is withdrawn: still must not be requeued
                f.queue.markDead(c, withdrawn, "w", now, "http.503");
                f.store.recordWithdrawal(c, "C-1", now, "m-w");
                return null;
            });
            try (Connection c = f.db.dataSource().getConnection()) {
                try (var r = c.createStatement().executeQuery(list)) {
                    int rows = 0;
                    while (r.next()) {
                        rows++;
                    }
                    assertThat(rows).isEqualTo(2);
                }
                for (String query : monitoring) {
                    c.createStatement().executeQuery(query).close();
                }
                assertThat(c.createStatement().executeUpdate(requeue.replace("id = 123", "id = " + withdrawn.id())))
                        .isZero();
                assertThat(c.createStatement().executeUpdate(requeue.replace("id = 123", "id = " + refused.id())))
                        .isEqualTo(1);
            }
            assertThat(f.row(refused.id()).status()).isEqualTo(OutboxStatus.PENDING);
            assertThat(f.row(withdrawn.id()).status()).isEqualTo(OutboxStatus.DEAD);
        }
    }

    private static List<String> sqlOfGuide() throws Exception {
        Matcher blocks = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(GUIDE));
        List<String> statements = new ArrayList<>();
        while (blocks.find()) {
            for (String statement : blocks.group(1).split(";")) {
                if (!statement.isBlank()) {
                    statements.add(statement.strip().replaceAll("\\s+", " "));
                }
            }
        }
        return statements;
    }
}
