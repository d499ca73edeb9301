package jp.tsunagi.gateway.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditVerifier;
import jp.tsunagi.gateway.audit.GatewayPublicKeys;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * The consents and disclosure pages' world: a real gateway with simulated agency systems (retrying a failing one
 * for long), and a console account of each role named after it (e.g. "auditor").
 */
final class PeopleFixture implements AutoCloseable {
    /** The F3 sample: hub -> welfare office under consent CNS-2026-0043, the person ヤマモト マコト born 1971-11-30. */
    static final String REFERRAL = "REF-2026-000152";
    static final String CONSENT = "CNS-2026-0043";
    static final String KANA_FAMILY = "ヤマモト";
    static final String KANA_GIVEN = "マコト";
    static final String BIRTH_DATE = "1971-11-30";

    final GatewayFixture g;
    final String base;

    PeopleFixture(Path dir) throws Exception {
        this(dir, TestDatabases.Kind.H2);
    }

    PeopleFixture(Path dir, TestDatabases.Kind kind) throws Exception {
        g = new GatewayFixture(dir, kind, conf -> Files.writeString(conf.resolve("gateway.properties"),
                "tsunagi.delivery.max-attempts=1000\n", StandardOpenOption.APPEND));
        base = "http://127.0.0.1:" + g.gateway.port();
        Accounts accounts = new Accounts(dataSource(), chain(), ConsoleSettings.inConfDirectory(dir.resolve("conf")),
                Clock.systemUTC());
        for (Role role : Role.values()) {
            accounts.add(role.id(), role, ConsoleFixture.PASSWORD.toCharArray(), false, "test-setup");
        }
    }

    DataSource dataSource() {
        return g.gateway.database().dataSource();
    }

    private AuditChain chain() {
        return new AuditChain(new SigningKey("gateway#1", Pem.readPrivateKey(g.dir.resolve("keys/gateway.key.pem"))));
    }

    boolean chainIntact() throws Exception {
        KeyResolver keys = KeyResolver.of(GatewayPublicKeys.of(AgencyDirectory.inConfDirectory(g.dir.resolve("conf")),
                g.dir.resolve("keys")));
        return new AuditVerifier(keys).verify(dataSource()).intact();
    }

    /** The first column of every row, as text, after the audit entries committed so far are chained. */
    List<String> strings(String sql, Object... parameters) throws Exception {
        g.gateway.awaitAuditChained();
        try (Connection c = dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    values.add(r.getString(1));
                }
            }
            return values;
        }
    }

    long number(String sql) throws Exception {
        List<String> values = strings(sql);
        return values.isEmpty() || values.get(0) == null ? 0 : Long.parseLong(values.get(0));
    }

    /** Runs a test-setup statement until it changes a row (up to 20 s); returns the rows it changed last. */
    int awaitUpdate(String sql) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int changed;
        do {
            try (Connection c = dataSource().getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
                changed = s.executeUpdate();
            }
        } while (changed == 0 && System.nanoTime() < deadline && sleep());
        return changed;
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(20);
        return true;
    }

    /** Waits (up to 20 s, polling the database) until the number the query answers is ready; returns the last one. */
    long await(String sql, LongPredicate ready) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long value = number(sql);
        while (!ready.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = number(sql);
        }
        return value;
    }

    /** "ACTION:outcome" of the account's entries, in order. */
    List<String> actionsOf(String actor) throws Exception {
        return strings("SELECT action || ':' || COALESCE(outcome, '') FROM audit_entry WHERE actor = ? ORDER BY seq", actor);
    }

    @Override
    public void close() {
        g.close();
    }
}
