package jp.tsunagi.gateway.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every {@code tsunagi.*} key of {@code conf/gateway.properties} (ゲートウェイの設定), declared once: type, default,
 * allowed values and meaning. {@link SettingsFile} reads and checks a file against it, and docs/settings.md is
 * generated from it ({@link #reference()}, {@code tsunagi config settings}).
 */
public final class Settings {
    private static final Duration POSITIVE = Duration.ofMillis(1);

    // ---- store and keys
    public static final Setting<String> DB_URL = Setting.text("tsunagi.db.url", "JDBC URL", "jdbc:h2:file:./data/tsunagi",
            "The database (データベース), the durable store. The default is an embedded H2 file database under data/ "
                    + "(PostgreSQL mode, every commit written at once); production: a PostgreSQL 14+ URL such as "
                    + "jdbc:postgresql://db.example.lg.jp:5432/tsunagi.").fromEnvironment("TSUNAGI_DB_URL");
    public static final Setting<String> DB_USER = Setting.text("tsunagi.db.user", "text", null,
            "The database account.").fromEnvironment("TSUNAGI_DB_USER");
    public static final Setting<String> DB_PASSWORD = Setting.text("tsunagi.db.password", "secret", null,
            "The database account's password. Give it in the environment rather than in the file.")
            .fromEnvironment("TSUNAGI_DB_PASSWORD").secret();
    public static final Setting<Path> KEYS_DIR = Setting.path("tsunagi.keys.dir", Path.of("data/keys"), "data/keys",
            "The key directory (鍵の保存先): the gateway's private key, the store key store.key (AES-256-GCM of "
                    + "documents at rest) and the pseudonym key audit-hmac.key. Back it up apart from the database.");
    public static final Setting<Duration> KEYS_ROTATION_GRACE = Setting.duration("tsunagi.keys.rotation-grace",
            "P30D", Duration.ofHours(1), null, "at least PT1H",
            "Grace period of a key rotation (鍵の更新の猶予期間): after 'tsunagi keys rotate', signatures with the replaced "
                    + "key are still accepted this long (its retires date in agencies.yaml), so that the agency can "
                    + "switch to the new key; then they are refused.");
    public static final Setting<Duration> STORE_RETENTION = Setting.duration("tsunagi.store.retention",
            "P90D", Duration.ZERO, null, "0 or more",
            "Retention (保存期間): documents of finished messages are removed from the store this long after "
                    + "delivery or dead-lettering (P90D = 90 days); rows, hashes and the audit trail stay.");

    public static final Setting<Duration> AUDIT_CHAIN_DELAY = Setting.shortDuration("tsunagi.audit.chain-delay", "1s",
            POSITIVE, "more than 0", "Bounded delay of the audit chain (監査ログの連結): an audit entry is committed with "
                    + "what it records at once, and linked into the signed hash chain by the one sequencer of all nodes "
                    + "within about this delay, one head signature per batch. Health, metrics and audit verify report "
                    + "entries waiting longer than twice this plus 5 s.");

    // ---- HTTP interface and messages
    public static final Setting<String> HTTP_HOST = Setting.text("tsunagi.http.host", "host name or address", "127.0.0.1",
            "The address the HTTP interface listens on; 127.0.0.1 accepts local connections only, the server's "
                    + "LGWAN-side address serves agencies.");
    public static final Setting<Integer> HTTP_PORT = Setting.number("tsunagi.http.port", 8080, 1, 65535,
            "The port the HTTP interface listens on.");
    public static final Setting<Duration> HTTP_IDLE_TIMEOUT = Setting.shortDuration("tsunagi.http.idle-timeout", "60s",
            Duration.ofSeconds(1), "at least 1s", "A connection with nothing read or written for this long is closed.");
    public static final Setting<Duration> HTTP_HEADER_TIMEOUT = Setting.shortDuration("tsunagi.http.header-timeout",
            "10s", POSITIVE, "more than 0", "A request's headers must have arrived this long after the connection "
                    + "opened or the previous answer ended; otherwise the connection is closed (slow-header attacks).");
    public static final Setting<Integer> HTTP_MAX_CONNECTIONS_PER_CLIENT = Setting.number(
            "tsunagi.http.max-connections-per-client", 32, 1, 100_000, "Open connections one client address may "
                    + "hold; a connection beyond it is closed at once.");
    public static final Setting<String> CONNECTORS_HTTP_ALLOWED_NETWORKS = Setting.text(
            "tsunagi.connectors.http.allowed-networks", "addresses or CIDR networks, comma-separated", null,
            "Without mutual TLS, the client addresses from which an agency system may POST to a connector HTTP source "
                    + "(the connector signs what it receives as the agency): e.g. 10.20.0.0/16, 127.0.0.1. Empty: none, "
                    + "every such POST is refused (connector.client_not_allowed).");
    public static final Setting<Boolean> CONNECTORS_HTTP_ALLOW_UNAUTHENTICATED = Setting.bool(
            "tsunagi.connectors.http.allow-unauthenticated", false,
            "true lets anyone who reaches the port POST to a connector HTTP source without mutual TLS or an allowed "
                    + "network; for the demo only, and logged at start.");
    public static final Setting<Integer> MESSAGE_MAX_BYTES = Setting.number("tsunagi.message.max-bytes", 1024 * 1024,
            1, Integer.MAX_VALUE, "The largest accepted message in bytes; a larger body is refused with 413.");
    public static final Setting<Duration> MESSAGE_REPLAY_WINDOW = Setting.duration("tsunagi.message.replay-window",
            "P7D", Duration.ofSeconds(1), null, "at least PT1S",
            "Replay window: a message whose createdAt is older is refused (message.outside_replay_window); within "
                    + "it, a repeat is recognised by its messageId.");

    // ---- TLS
    public static final Setting<Boolean> TLS_ENABLED = Setting.bool("tsunagi.tls.enabled", false,
            "HTTPS (TLS 1.2/1.3) on tsunagi.http.host and port instead of plain HTTP.");
    public static final Setting<Path> TLS_KEY = Setting.path("tsunagi.tls.key", null, "<keys.dir>/<gateway id>.key.pem",
            "The server's PEM private key (PKCS#8 or traditional EC/RSA).");
    public static final Setting<Path> TLS_CERTIFICATE = Setting.path("tsunagi.tls.certificate", null,
            "<keys.dir>/<gateway id>.crt.pem",
            "The server's PEM certificate chain, server certificate first; in production one issued for the "
                    + "gateway's host name.");
    public static final Setting<String> TLS_CLIENT_AUTH = Setting.oneOf("tsunagi.tls.client-auth", "none",
            List.of("none", "want", "require"),
            "Client certificates (mutual TLS): want asks for one, require refuses clients without one. A presented "
                    + "certificate must chain to tsunagi.tls.trust and carry a key an agency registered.");
    public static final Setting<List<Path>> TLS_TRUST = Setting.paths("tsunagi.tls.trust",
            "every agency's <keys.dir>/<id>.crt.pem",
            "PEM files of the CA or agency certificates a client certificate must chain to.");

    // ---- delivery (配信)
    public static final Setting<Integer> DELIVERY_WORKERS = Setting.number("tsunagi.delivery.workers", 4, 1,
            Integer.MAX_VALUE, "Delivery (配信) threads working in parallel.");
    public static final Setting<Integer> DELIVERY_BATCH_SIZE = Setting.number("tsunagi.delivery.batch-size", 10, 1,
            Integer.MAX_VALUE, "Copies one worker claims at a time.");
    public static final Setting<Duration> DELIVERY_POLL_INTERVAL = Setting.shortDuration("tsunagi.delivery.poll-interval",
            "1s", POSITIVE, "more than 0", "How long an idle worker waits before looking again for due copies.");
    public static final Setting<Duration> DELIVERY_LEASE = Setting.shortDuration("tsunagi.delivery.lease", "5m", POSITIVE,
            "more than connect-timeout + request-timeout",
            "How long a claimed copy belongs to its worker; a crashed worker's copies come back after it.");
    public static final Setting<Duration> DELIVERY_BASE_DELAY = Setting.shortDuration("tsunagi.delivery.base-delay",
            "1s", POSITIVE, "more than 0", "Retry (再送) window after the first failure; it doubles with each attempt, "
                    + "with jitter.");
    public static final Setting<Duration> DELIVERY_MAX_DELAY = Setting.shortDuration("tsunagi.delivery.max-delay", "5m",
            POSITIVE, "at least base-delay", "The largest retry window.");
    public static final Setting<Integer> DELIVERY_MAX_ATTEMPTS = Setting.number("tsunagi.delivery.max-attempts", 20, 1,
            Integer.MAX_VALUE, "Attempts before a retryable failure becomes a dead letter; 20 give a recipient up to "
                    + "about an hour to come back.");
    public static final Setting<Duration> DELIVERY_CONNECT_TIMEOUT = Setting.shortDuration(
            "tsunagi.delivery.connect-timeout", "10s", POSITIVE, "more than 0", "HTTP connect timeout.");
    public static final Setting<Duration> DELIVERY_REQUEST_TIMEOUT = Setting.shortDuration(
            "tsunagi.delivery.request-timeout", "30s", POSITIVE, "more than 0", "HTTP timeout for the whole answer. "
                    + "A delivery through a connector route (kind: route) may take connect-timeout + request-timeout; "
                    + "a route still running then counts as a failed attempt (route.timeout), retried with backoff.");
    public static final Setting<Duration> DELIVERY_STOP_TIMEOUT = Setting.shortDuration("tsunagi.delivery.stop-timeout",
            "30s", Duration.ZERO, "0 or more", "At shutdown, how long deliveries in flight may finish.");

    // ---- escalation (督促)
    public static final Setting<Integer> ESCALATION_BUSINESS_DAYS = Setting.number("tsunagi.escalation.business-days",
            5, 1, 250, "Escalation (督促): a referral neither accepted nor declined this many municipal business "
                    + "days (開庁日) after the day the gateway accepted it is escalated to its sender, once.");
    public static final Setting<Duration> ESCALATION_CHECK_INTERVAL = Setting.duration(
            "tsunagi.escalation.check-interval", "PT1H", Duration.ofSeconds(1), Duration.ofDays(1),
            "1 second to 1 day", "How often the gateway looks for overdue referrals.");
    public static final Setting<Set<LocalDate>> ESCALATION_CLOSED_DAYS = Setting.dates("tsunagi.escalation.closed-days",
            "The municipality's own closing days (市の休日, e.g. 市制施行記念日) on top of weekends, national "
                    + "holidays and 12/29-1/3, in the years the calendar covers (2020-2099).");

    // ---- connectors
    public static final Setting<Path> EXCHANGE_DIR = Setting.path("tsunagi.exchange.dir", Path.of("data/exchange"),
            "data/exchange", "The folder under which file connectors exchange files with agency systems; routes "
                    + "name it {{tsunagi.exchange.dir}}.");

    /** Every setting, in the order of the reference. */
    // ---- administrator console (管理画面)
    public static final Setting<Duration> CONSOLE_SESSION_IDLE_TIMEOUT = Setting.duration(
            "tsunagi.console.session-idle-timeout", "PT15M", Duration.ofSeconds(1), null, "at least 1 second, at most "
                    + "the absolute timeout", "A console session unused this long ends (and is audited as a logout).");
    public static final Setting<Duration> CONSOLE_SESSION_ABSOLUTE_TIMEOUT = Setting.duration(
            "tsunagi.console.session-absolute-timeout", "PT8H", Duration.ofSeconds(1), null, "at least 1 second",
            "A console session ends this long after login, used or not.");
    public static final Setting<Boolean> CONSOLE_TOTP_REQUIRED = Setting.bool("tsunagi.console.totp-required", false,
            "Every console login needs a one-time password (二要素認証, TOTP RFC 6238); an account without one cannot "
                    + "log in.");
    public static final Setting<Integer> CONSOLE_PASSWORD_MIN_LENGTH = Setting.number(
            "tsunagi.console.password-min-length", 12, 8, 128, "The shortest console password accepted (length only, "
                    + "no composition rules).");
    public static final Setting<Integer> CONSOLE_LOCKOUT_THRESHOLD = Setting.number("tsunagi.console.lockout-threshold",
            5, 1, 1000, "Consecutive failed logins after which a console account is locked.");
    public static final Setting<Duration> CONSOLE_LOCKOUT_DELAY = Setting.duration("tsunagi.console.lockout-delay",
            "PT1M", Duration.ofSeconds(1), Duration.ofHours(1), "1 second to 1 hour",
            "How long a locked console account stays locked, doubled with each further failure up to an hour.");

    public static final Setting<Boolean> CONSOLE_REQUEUE_APPROVAL = Setting.bool("tsunagi.console.requeue-approval", false,
            "Two-person rule (二人承認) for requeueing dead letters: a requeue asked by one administrator (console or "
                    + "command line) waits until another administrator approves it in the console.");

    public static final List<Setting<?>> ALL = List.of(DB_URL, DB_USER, DB_PASSWORD, KEYS_DIR, KEYS_ROTATION_GRACE, STORE_RETENTION,
            AUDIT_CHAIN_DELAY,
            HTTP_HOST, HTTP_PORT, HTTP_IDLE_TIMEOUT, HTTP_HEADER_TIMEOUT, HTTP_MAX_CONNECTIONS_PER_CLIENT,
            CONNECTORS_HTTP_ALLOWED_NETWORKS, CONNECTORS_HTTP_ALLOW_UNAUTHENTICATED, MESSAGE_MAX_BYTES, MESSAGE_REPLAY_WINDOW,
            TLS_ENABLED, TLS_KEY, TLS_CERTIFICATE, TLS_CLIENT_AUTH, TLS_TRUST,
            DELIVERY_WORKERS, DELIVERY_BATCH_SIZE, DELIVERY_POLL_INTERVAL, DELIVERY_LEASE, DELIVERY_BASE_DELAY,
            DELIVERY_MAX_DELAY, DELIVERY_MAX_ATTEMPTS, DELIVERY_CONNECT_TIMEOUT, DELIVERY_REQUEST_TIMEOUT,
            DELIVERY_STOP_TIMEOUT,
            ESCALATION_BUSINESS_DAYS, ESCALATION_CHECK_INTERVAL, ESCALATION_CLOSED_DAYS,
            EXCHANGE_DIR, CONSOLE_SESSION_IDLE_TIMEOUT, CONSOLE_SESSION_ABSOLUTE_TIMEOUT, CONSOLE_TOTP_REQUIRED,
            CONSOLE_PASSWORD_MIN_LENGTH, CONSOLE_LOCKOUT_THRESHOLD, CONSOLE_LOCKOUT_DELAY, CONSOLE_REQUEUE_APPROVAL);

    /** The prefix of the gateway's own keys; keys without it are left to Camel and to the routes. */
    public static final String PREFIX = "tsunagi.";

    private Settings() {
    }

    /** The setting of a key, if it is declared. */
    public static Optional<Setting<?>> named(String key) {
        return ALL.stream().filter(s -> s.key().equals(key)).<Setting<?>>map(s -> s).findFirst();
    }

    /** The declared key nearest to a misspelt one (at most 3 edits away), for the message. */
    static Optional<String> nearest(String key) {
        String best = null;
        int bestDistance = 4;
        for (Setting<?> s : ALL) {
            int d = distance(key, s.key());
            if (d < bestDistance) {
                best = s.key();
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** docs/settings.md: the reference generated from the declarations. */
    public static String reference() {
        StringBuilder out = new StringBuilder();
        out.append("# Settings reference (設定一覧)\n\n")
                .append("<!-- Generated from jp.tsunagi.gateway.settings.Settings: do not edit; regenerate with\n")
                .append("     bin/tsunagi config settings > docs/settings.md -->\n\n")
                .append("Every `tsunagi.*` key of `conf/gateway.properties`. A key not listed here, a value of the wrong type or\n")
                .append("outside its range is a configuration error: `bin/tsunagi config check` prints it with file and line and\n")
                .append("`serve` refuses to start (exit 2). Keys outside `tsunagi.*` are left to Camel (`camel.*`) and to the\n")
                .append("routes, which name any key as a placeholder (`{{tsunagi.exchange.dir}}`, `{{hellowork.sftp.password}}`).\n")
                .append("A value may come from the environment: `{{env:NAME}}`, or `{{env:NAME:default}}` with a default.\n\n")
                .append("| Key | Type | Default | Allowed | Description |\n")
                .append("|---|---|---|---|---|\n");
        for (Setting<?> s : ALL) {
            String description = s.description();
            if (s.environment() != null) {
                description += " The environment variable " + code(s.environment()) + ", when set, takes precedence.";
            }
            out.append("| ").append(code(s.key()))
                    .append(" | ").append(s.type())
                    .append(" | ").append(s.defaultText() == null ? "none" : code(s.defaultText()))
                    .append(" | ").append(s.allowed().isEmpty() ? "any" : s.allowed())
                    .append(" | ").append(description.replace("{{", "`{{").replace("}}", "}}`"))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String code(String text) {
        return "`" + text + "`";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
