package jp.tsunagi.gateway.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Pattern;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.GatewayPublicKeys;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.AgencyKey;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;
import jp.tsunagi.gateway.store.Database;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import picocli.CommandLine.Option;

/**
 * {@code --db JDBC_URL} and {@code --keys DIR} of the audit commands, with their defaults from
 * {@code <conf>/gateway.properties} ({@code tsunagi.db.url}, {@code tsunagi.db.user}, {@code tsunagi.db.password},
 * {@code tsunagi.keys.dir}), read as {@link SettingsFile} reads them for {@code serve} too: the environment variables
 * {@code TSUNAGI_DB_URL}, {@code TSUNAGI_DB_USER} and {@code TSUNAGI_DB_PASSWORD} take precedence, so that a password need not be written in a
 * file.
 */
final class AuditStoreOptions {
    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@\\-]{0,63}");

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Database (データベース). Default: TSUNAGI_DB_URL, else tsunagi.db.url of gateway.properties, else the H2 "
                    + "file database under data/ (docs/settings.md). PostgreSQL: jdbc:postgresql://HOST:5432/tsunagi "
                    + "(user and password: TSUNAGI_DB_USER, TSUNAGI_DB_PASSWORD or tsunagi.db.user/password).")
    String url;

    @Option(names = "--keys", paramLabel = "DIR",
            description = "Key directory (鍵の保存先) holding the gateway's keys and audit-hmac.key. "
                    + "Default: tsunagi.keys.dir of gateway.properties, else data/keys.")
    Path keys;

    private SettingsFile settings;

    /** The body of an audit command: its exit code. */
    @FunctionalInterface
    interface Task {
        int run() throws SQLException, IOException;
    }

    /** What an audit command does with the opened database. */
    @FunctionalInterface
    interface DatabaseWork<T> {
        T on(Database db) throws SQLException, IOException;
    }

    /**
     * Runs the body of an audit command: a problem of configuration, keys or database is one line on standard error
     * and exit code 2, never a stack trace.
     *
     * @param databaseFailure what could not be done, before the database's reason (e.g. "cannot read the audit trail")
     */
    static int run(String databaseFailure, Task task) {
        try {
            return task.run();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            Terminal.err().println(e.getMessage());
        } catch (SQLException e) {
            Terminal.err().println(databaseFailure + ": " + e.getMessage());
        } catch (IOException e) {
            Terminal.err().println("cannot write to standard output (" + e.getClass().getSimpleName() + ")");
        }
        return ExitCodes.BAD_INPUT;
    }

    /** Opens the database (see {@link #open(Path)}), does the work on it and closes it. */
    <T> T withDatabase(Path conf, DatabaseWork<T> work) throws SQLException, IOException {
        try (Database db = open(conf)) {
            return work.on(db);
        }
    }

    /**
     * Opens the database; an H2 file database must exist already (a mistyped path would otherwise yield a new, empty
     * and "intact" trail).
     *
     * @throws IllegalArgumentException with a message for the user when it cannot be opened
     */
    Database open(Path conf) {
        String jdbcUrl = jdbcUrl(conf);
        String opened = jdbcUrl;
        if (jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:h2:mem:")
                && !jdbcUrl.toUpperCase().contains(";IFEXISTS=")) {
            opened = jdbcUrl + ";IFEXISTS=TRUE";
        }
        try {
            return Database.open(opened, settings(conf).get(Settings.DB_USER), settings(conf).get(Settings.DB_PASSWORD));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot open the database " + withoutSecrets(jdbcUrl) + ": " + reason(e));
        }
    }

    String jdbcUrl(Path conf) {
        if (url != null) {
            return url;
        }
        return settings(conf).get(Settings.DB_URL);
    }

    Path keyDirectory(Path conf) {
        if (keys != null) {
            return keys;
        }
        return settings(conf).get(Settings.KEYS_DIR);
    }

    /** The gateway's chain signer: its private key from the key directory, its kid from agencies.yaml. */
    AuditChain chain(AgencyDirectory agencies, Path conf) {
        String id = agencies.gateway().id();
        Path file = KeyMaterial.privateKeyFile(keyDirectory(conf), id);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no private key of the gateway at " + file + ": reading the audit trail "
                    + "is recorded in it, signed by the gateway; run this on the gateway host, or give --keys DIR");
        }
        return new AuditChain(new SigningKey(agencies.signingKid(id), Pem.readPrivateKey(file)));
    }

    /** How long an audit entry may wait to be chained before verify calls it overdue (tsunagi.audit.chain-delay). */
    java.time.Duration chainOverdue(Path conf) {
        return AuditChain.overdueAfter(settings(conf).get(Settings.AUDIT_CHAIN_DELAY));
    }

    /** The gateway's public keys only (never an agency's), see {@link GatewayPublicKeys}. */
    KeyResolver gatewayKeys(AgencyDirectory agencies, Path conf) {
        return KeyResolver.of(gatewayPublicKeys(agencies, conf));
    }

    Map<String, PublicKey> gatewayPublicKeys(AgencyDirectory agencies, Path conf) {
        return GatewayPublicKeys.of(agencies, keyDirectory(conf));
    }

    /** Who is recorded as reading the trail: --actor, else the operating-system user. */
    static String actor(String given) {
        String actor = given != null ? given : System.getProperty("user.name", "");
        if (!ACTOR.matcher(actor).matches()) {
            if (given != null) {
                throw new IllegalArgumentException("--actor must be a login name: letters, digits, '.', '_', '@', '-'");
            }
            return "administrator";
        }
        return actor;
    }

    /** gateway.properties of the conf directory, checked, with the environment's database account over it. */
    SettingsFile settings(Path conf) {
        if (settings == null) {
            settings = SettingsFile.load(conf);
        }
        return settings;
    }

    /** The first line of the root cause: drivers put the reason there (no stack trace for the user). */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int newline = message.indexOf('\n');
        return withoutSecrets(newline < 0 ? message : message.substring(0, newline));
    }

    private static String withoutSecrets(String text) {
        return text.replaceAll("(?i)(password=)[^;&\\s]*", "$1***");
    }
}
