package jp.tsunagi.gateway.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.signature.KeyMaterial;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tsunagi serve} takes the database and its account from TSUNAGI_DB_URL, TSUNAGI_DB_USER and TSUNAGI_DB_PASSWORD,
 * as the audit commands do, so that the password need not be written in gateway.properties.
 */
class ServeDatabaseAccountTest {
    private static final String PASSWORD = "only-in-the-environment-7f3a";

    @Test
    void serve_opens_the_database_with_the_account_of_the_environment(@TempDir Path dir) throws Exception {
        try (RecipientSimulator recipient = new RecipientSimulator()) {
            String url = "jdbc:h2:file:" + dir.resolve("db/tsunagi");
            Path conf = conf(dir, recipient, url);
            // the database exists with its own account, which gateway.properties does not name
            Database.open(url, "ops", PASSWORD).close();

            try (ServeProcess without = ServeProcess.fromClasspath(dir, conf, Map.of())) {
                assertThat(without.awaitExit()).isEqualTo(2);
            }
            try (ServeProcess with = ServeProcess.fromClasspath(dir, conf, Map.of("TSUNAGI_DB_USER", "ops", "TSUNAGI_DB_PASSWORD", PASSWORD))) {
                assertThat(with.awaitHealth()).as(with.log()).isEqualTo(200);
                with.signal("TERM");
                assertThat(with.awaitExit()).as(with.log()).isZero();
                assertThat(with.log()).doesNotContain(PASSWORD);
            }
        }
    }

    @Test
    void the_postgresql_quick_start_of_the_operations_guide_gives_a_database_that_serve_opens_from_the_environment_alone(
            @TempDir Path dir) throws Exception {
        // the SQL of docs/operations-store.md, as the database's administrator runs it (the guide's password replaced)
        String quickStart = sqlOfTheGuide().replace("change-this-password", PASSWORD);
        TestDatabases.asPostgresAdministrator(quickStart);
        try (RecipientSimulator recipient = new RecipientSimulator()) {
            Path conf = conf(dir, recipient, "jdbc:h2:mem:unused");
            // gateway.properties names no database at all: the URL, the account and its password are the environment's
            Files.write(conf.resolve("gateway.properties"), Files.readAllLines(conf.resolve("gateway.properties")).stream()
                    .filter(line -> !line.startsWith("tsunagi.db.")).toList());

            try (ServeProcess serve = ServeProcess.fromClasspath(dir, conf, Map.of("TSUNAGI_DB_URL", TestDatabases.postgresUrl("tsunagi"),
                    "TSUNAGI_DB_USER", "tsunagi", "TSUNAGI_DB_PASSWORD", PASSWORD))) {
                assertThat(serve.awaitHealth()).as(serve.log()).isEqualTo(200);
                serve.signal("TERM");
                assertThat(serve.awaitExit()).as(serve.log()).isZero();
                assertThat(serve.log()).doesNotContain(PASSWORD);
            }
        }
        // serve migrated the database as its owner, the account of the quick start
        try (Database db = Database.open(TestDatabases.postgresUrl("tsunagi"), "tsunagi", PASSWORD);
                var c = db.dataSource().getConnection(); var s = c.createStatement();
                var tables = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                        + "AND table_catalog = 'tsunagi' AND table_name = 'audit_entry'")) {
            tables.next();
            assertThat(tables.getInt(1)).isEqualTo(1);
        }
    }

    private static Path conf(Path dir, RecipientSimulator recipient, String url) throws Exception {
        Path keys = dir.resolve("keys");
        Path conf = GatewayFixture.writeConf(dir, keys, recipient, url, false);
        for (String id : GatewayFixture.AGENCIES) {
            KeyMaterial.writeFiles(keys, id, id);
        }
        return conf;
    }

    /** The ```sql block of the PostgreSQL quick start in docs/operations-store.md. */
    private static String sqlOfTheGuide() throws Exception {
        Matcher block = Pattern.compile("(?s)```sql\n(.*?)```").matcher(Files.readString(Path.of("../docs/operations-store.md")));
        assertThat(block.find()).as("docs/operations-store.md has a ```sql block").isTrue();
        return block.group(1);
    }
}
