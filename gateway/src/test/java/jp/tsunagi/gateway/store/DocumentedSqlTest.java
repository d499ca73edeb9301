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
    void theGuidesMonitoringQueriesRunAndItChangesNoOutboxRowInSql(TestDatabases.Kind kind) throws Exception {
        List<String> statements = sqlOfGuide();
        List<String> monitoring = statements.stream().filter(s -> s.startsWith("SELECT COUNT")
                || s.startsWith("SELECT recipient")).toList();
        assertThat(monitoring).hasSize(2);
        // a requeue in SQL left no audit entry, skipped the lawful-basis re-check and left the referral FAILED: the
        // guide now gives the audited commands (deadletter requeue|cancel) instead
        assertThat(statements).noneMatch(s -> s.toUpperCase(java.util.Locale.ROOT).startsWith("UPDATE"));
        try (StoreFixture f = StoreFixture.fresh(kind)) {
            OutboxItem refused = f.queued("R-1", "welfare-b");
            Instant now = Instant.now();
            f.tx(c -> {
                f.queue.claim(c, "w", now, Duration.ofMinutes(1), 10);
                f.queue.markDead(c, refused, "w", now, "http.404");
                return null;
            });
            try (Connection c = f.db.dataSource().getConnection()) {
                for (String query : monitoring) {
                    c.createStatement().executeQuery(query).close();
                }
            }
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
