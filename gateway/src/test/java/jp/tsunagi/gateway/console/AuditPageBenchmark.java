package jp.tsunagi.gateway.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;
import jp.tsunagi.gateway.audit.CheckpointPolicy;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * bench/console-audit-page.sh: the audit trail page over a trail of N entries (default 1,000,000) on an H2 file
 * database. Fills the trail once (kept in the given directory for later runs), then times {@link Console#handle} for
 * the page of the newest entries, a page deep in the trail, and filters by action, actor, referral and time range:
 * the query, the rendering and the AUDIT_READ entry each read writes, without the network. Prints the median and the
 * worst of R runs of each (after W warm-up runs). Not a unit test: run it by hand, figures in docs/benchmarks.md.
 */
public final class AuditPageBenchmark {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private AuditPageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-audit");
        long entries = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;
        int runs = 20;
        int warmUp = 5;
        Files.createDirectories(dir);
        KeyPair gateway = KeyMaterial.generateP256();
        SigningKey key = new SigningKey("gateway#1", gateway.getPrivate());
        AuditChain chain = new AuditChain(key, CheckpointPolicy.DEFAULT, Clock.systemUTC());
        try (Database db = Database.open("jdbc:h2:file:" + dir.toAbsolutePath().resolve("tsunagi"))) {
            fill(db, chain, entries);
            Accounts accounts = new Accounts(db.dataSource(), chain, ConsoleSettings.defaults(), Clock.systemUTC());
            if (accounts.find("bench").isEmpty()) {
                accounts.add("bench", Role.AUDITOR, "benchmark password".toCharArray(), false, "bench");
            }
            Console console = new Console(db.dataSource(), chain, Map.of("gateway#1", gateway.getPublic()),
                    List.of("tsunagi-hub", "tsunagi-tax"), ConsoleSettings.defaults(), false, Clock.systemUTC());
            String cookie = logIn(console);
            String middle = String.valueOf(count(db) / 2);
            String day = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            System.out.printf("audit trail page over %,d entries (H2 file, %s), %d runs after %d warm-up%n", count(db),
                    dir, runs, warmUp);
            for (String[] c : new String[][] {
                    {"newest 50", ""},
                    {"50 from the middle (before=" + middle + ")", "before=" + middle},
                    {"action = DELIVERED", "action=DELIVERED"},
                    {"actor = tsunagi-hub", "actor=tsunagi-hub"},
                    {"referral id", "referralId=REF-123457"},
                    {"time range: the last hour", "from=" + day},
                    {"action and actor, page from the middle", "action=ACCEPTED&actor=tsunagi-tax&before=" + middle}}) {
                long[] millis = new long[runs];
                for (int i = -warmUp; i < runs; i++) {
                    long start = System.nanoTime();
                    ConsoleResponse page = console.handle(new ConsoleRequest("GET", "/admin/audit", query(c[1]),
                            Map.of("tsunagi_console", cookie)));
                    long took = System.nanoTime() - start;
                    if (page.status() != 200) {
                        throw new IllegalStateException(c[0] + ": " + page.status());
                    }
                    if (i >= 0) {
                        millis[i] = took / 1_000_000;
                    }
                }
                Arrays.sort(millis);
                System.out.printf("  %-45s median %4d ms, worst %4d ms%n", c[0], millis[runs / 2], millis[runs - 1]);
            }
        }
    }

    private static void fill(Database db, AuditChain chain, long entries) throws Exception {
        long have = count(db);
        AuditAction[] actions = {AuditAction.ACCEPTED, AuditAction.CONSENT_DECISION, AuditAction.FORWARD_SCHEDULED,
                AuditAction.DELIVERY_ATTEMPT, AuditAction.DELIVERED};
        String[] actors = {"tsunagi-hub", "tsunagi-tax", "gateway", "tsunagi-welfare", "tsunagi-hellowork"};
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (long n = have; n < entries; ) {
                List<AuditEvent> batch = new ArrayList<>();
                for (int i = 0; i < 10_000 && n < entries; i++, n++) {
                    batch.add(AuditEvent.of(actions[(int) (n % actions.length)], actors[(int) (n / 5 % actors.length)])
                            .withMessage("00000000-0000-4000-8000-" + String.format("%012d", n), "REF-" + n / 5)
                            .withOutcome("ok").withCode("bench"));
                }
                chain.appendAll(c, batch);
                c.commit();
                chain.chainCommitted(db.dataSource());
                if (n % 100_000 == 0) {
                    System.out.printf("  filled %,d%n", n);
                }
            }
            c.setAutoCommit(true);
        }
    }

    private static long count(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT last_seq FROM audit_head");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String logIn(Console console) {
        ConsoleResponse page = console.handle(new ConsoleRequest("GET", "/admin/login", Map.of(), Map.of()));
        String cookie = cookie(page);
        Matcher csrf = CSRF.matcher(page.text());
        csrf.find();
        ConsoleResponse login = console.handle(new ConsoleRequest("POST", "/admin/login", Map.of("_csrf", csrf.group(1),
                "name", "bench", "password", "benchmark password"), Map.of("tsunagi_console", cookie)));
        if (login.status() != 303) {
            throw new IllegalStateException("login failed: " + login.status());
        }
        return cookie(login);
    }

    private static String cookie(ConsoleResponse response) {
        String set = response.headers().get("Set-Cookie");
        return set.substring(set.indexOf('=') + 1, set.indexOf(';'));
    }

    private static Map<String, String> query(String query) {
        return ConsoleRequest.of("GET", "/admin/audit", query, Map.of(), null).parameters();
    }
}
