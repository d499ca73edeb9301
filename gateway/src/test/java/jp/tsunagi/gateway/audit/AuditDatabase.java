package jp.tsunagi.gateway.audit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.SigningKey;
import org.flywaydb.core.Flyway;

/**
 * A fresh database of one kind with the schema up to V11 (the audit tables: V1, and V11 for the entries not chained
 * yet), so that these tests do not depend on later migrations; and the gateway key pair that signs its chain.
 */
final class AuditDatabase implements AutoCloseable {
    static final KeyPair GATEWAY = KeyMaterial.generateP256();
    static final SigningKey GATEWAY_KEY = new SigningKey("gateway#1", GATEWAY.getPrivate());
    static final KeyResolver GATEWAY_KEYS = KeyResolver.of(Map.of("gateway#1", GATEWAY.getPublic()));

    final TestDatabases.Kind kind;
    final HikariDataSource dataSource;

    private AuditDatabase(TestDatabases.Kind kind, HikariDataSource dataSource) {
        this.kind = kind;
        this.dataSource = dataSource;
    }

    static AuditDatabase fresh(TestDatabases.Kind kind) {
        String url = TestDatabases.freshUrl(kind);
        HikariConfig config = new HikariConfig();
        if (kind == TestDatabases.Kind.H2) {
            // as Database.open does for every H2 URL
            config.setJdbcUrl(url + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        } else {
            config.setJdbcUrl(url);
            config.setUsername("postgres");
            config.setPassword("postgres");
        }
        config.setMaximumPoolSize(10);
        HikariDataSource dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("11").load().migrate();
        return new AuditDatabase(kind, dataSource);
    }

    /** Another pool on the same database: what a second gateway node has. Close it after the test. */
    HikariDataSource secondNode() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(dataSource.getJdbcUrl());
        config.setUsername(dataSource.getUsername());
        config.setPassword(dataSource.getPassword());
        config.setMaximumPoolSize(10);
        return new HikariDataSource(config);
    }

    /** A connection outside the pools, as the sequencer's lock uses. */
    Connection dedicatedConnection() throws SQLException {
        return java.sql.DriverManager.getConnection(dataSource.getJdbcUrl(), dataSource.getUsername(), dataSource.getPassword());
    }

    /** Waits (polling, at most a minute) until the query's number is the expected one; returns the last number. */
    long await(String countQuery, long expected) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
        long n;
        while ((n = number(countQuery)) != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return n;
    }

    long number(String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Runs statements directly, as someone with write access to the database would. */
    void sql(String... statements) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    long count(String table) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return AuditRows.count(c, table);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
