package jp.tsunagi.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void theSchemaIsMigratedOnOpenOnH2AndOnPostgresql(TestDatabases.Kind kind) throws Exception {
        try (Database db = TestDatabases.fresh(kind);
             var c = db.dataSource().getConnection();
             var rs = c.createStatement().executeQuery("select count(*) from flyway_schema_history")) {
            rs.next();
            assertThat(rs.getInt(1)).isPositive();
            assertThat(db.isPostgres()).isEqualTo(kind == TestDatabases.Kind.POSTGRESQL);
        }
    }

    @Test
    void anH2ConnectionKeepsTheParsedStatementsOfAWholeMessageInsteadOfParsingThemAgain() throws Exception {
        try (Database db = TestDatabases.fresh(TestDatabases.Kind.H2);
             var c = db.dataSource().getConnection();
             var rs = c.createStatement().executeQuery(
                     "select setting_value from information_schema.settings where setting_name = 'QUERY_CACHE_SIZE'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(Database.QUERY_CACHE_SIZE).isGreaterThan(8); // H2's own default is 8
        }
    }

    /** Each time H2's cache of identity values runs out it writes the whole store once more (docs/benchmarks.md). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void identityValuesAreTakenFromALargeCacheOnH2AndOneByOneOnPostgresql(TestDatabases.Kind kind) throws Exception {
        boolean h2 = kind == TestDatabases.Kind.H2;
        String query = h2
                ? "select table_name, identity_cache from information_schema.columns where table_schema = current_schema"
                        + " and is_identity = 'YES'"
                : "select sequencename, cache_size from pg_sequences";
        java.util.Map<String, Long> caches = new java.util.TreeMap<>();
        try (Database db = TestDatabases.fresh(kind);
             var c = db.dataSource().getConnection();
             var rs = c.createStatement().executeQuery(query)) {
            while (rs.next()) {
                caches.put(rs.getString(1), rs.getLong(2));
            }
        }
        assertThat(caches.keySet()).anyMatch(name -> name.startsWith("audit_pending")).anyMatch(name -> name.startsWith("outbox"));
        assertThat(caches.values()).containsOnly(h2 ? 1000L : 1L);
    }
}
