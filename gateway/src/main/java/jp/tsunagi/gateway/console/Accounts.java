package jp.tsunagi.gateway.console;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import jp.tsunagi.gateway.audit.AuditAction;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.audit.AuditEvent;

/**
 * Console accounts and login (table {@code console_account}). Every change and every login, failed or not, is an entry
 * of the audit chain written in the same transaction as the change it records.
 *
 * <p>Lockout: from {@link ConsoleSettings#lockoutThreshold} consecutive failures on, each failure locks the account for
 * a delay that doubles (at most an hour); a try while locked is refused without looking at the password.
 */
public final class Accounts {
    /** A login name: a code, since it is recorded as the actor of audit entries. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@\\-]{0,63}");
    /** The actor of a failed login with a name that is no account (what was typed is not recorded: it may be a password). */
    public static final String UNKNOWN_ACTOR = "console";
    private static final Set<String> RESERVED = Set.of("gateway", "console", "system", "unknown");

    private final DataSource dataSource;
    private final AuditChain audit;
    private final ConsoleSettings settings;
    private final Clock clock;

    public Accounts(DataSource dataSource, AuditChain audit, ConsoleSettings settings, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.audit = Objects.requireNonNull(audit);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Why the login name is refused, or null. */
    public static String nameProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "the login name must be 1 to 64 letters, digits, '.', '_', '@' or '-' (a code, not a full name)";
        }
        if (RESERVED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            return "the login name " + name + " is reserved";
        }
        return null;
    }

    /**
     * Creates an account.
     *
     * @param withTotp give it a TOTP secret (always when the settings make the second factor mandatory)
     * @return the TOTP secret to hand to its holder (Base32), or null without one
     * @throws IllegalArgumentException bad name or password, or the name is taken
     */
    public String add(String name, Role role, char[] password, boolean withTotp, String actor) throws SQLException {
        requireName(name);
        requirePassword(password);
        String secret = withTotp || settings.totpRequired() ? Totp.newSecret() : null;
        String hash = Passwords.hash(password);
        OffsetDateTime now = now();
        inTransaction(c -> {
            if (find(c, name).isPresent()) {
                throw new IllegalArgumentException("an account named " + name + " exists already");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO console_account (name, role, password_hash, "
                    + "totp_secret, disabled, failed_logins, created_at, password_changed_at) VALUES (?, ?, ?, ?, FALSE, 0, ?, ?)")) {
                s.setString(1, name);
                s.setString(2, role.id());
                s.setString(3, hash);
                s.setString(4, secret);
                s.setObject(5, now);
                s.setObject(6, now);
                s.executeUpdate();
            }
            audit.append(c, AuditEvent.of(AuditAction.ACCOUNT_CREATED, actor).withOutcome(role.id())
                    .withCode("account:" + name + (secret == null ? "" : ":totp")));
        });
        return secret;
    }

    /** Every account, by name; reads only (no key needed). */
    public static List<Account> list(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM console_account ORDER BY name");
             ResultSet rs = s.executeQuery()) {
            List<Account> accounts = new ArrayList<>();
            while (rs.next()) {
                accounts.add(account(rs));
            }
            return accounts;
        }
    }

    public Optional<Account> find(String name) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return find(c, name);
        }
    }

    /** Disables the account: it can no longer log in (its sessions end at their next request). */
    public void disable(String name, String actor) throws SQLException {
        update(name, "UPDATE console_account SET disabled = TRUE WHERE name = ?", AuditAction.ACCOUNT_DISABLED, actor);
    }

    /** Sets a new password, enables the account again and lifts a lockout. */
    public void resetPassword(String name, char[] password, String actor) throws SQLException {
        requirePassword(password);
        String hash = Passwords.hash(password);
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE console_account SET password_hash = ?, disabled = FALSE, "
                    + "failed_logins = 0, locked_until = NULL, password_changed_at = ? WHERE name = ?")) {
                s.setString(1, hash);
                s.setObject(2, now());
                s.setString(3, name);
                if (s.executeUpdate() != 1) {
                    throw new IllegalArgumentException("no account named " + name);
                }
            }
            audit.append(c, AuditEvent.of(AuditAction.ACCOUNT_PASSWORD_RESET, actor).withCode("account:" + name));
        });
    }

    /** What a login attempt gave: the account, or why not (a code, also recorded in the audit entry). */
    public record Login(Account account, String refusal) {
        public boolean ok() {
            return account != null;
        }
    }

    /**
     * One login attempt, audited ({@code CONSOLE_LOGIN} or {@code CONSOLE_LOGIN_FAILED}). The caller shows the same
     * message whatever the refusal, so a stranger learns nothing about which accounts exist.
     */
    public Login login(String name, char[] password, String totpCode) throws SQLException {
        Login[] result = new Login[1];
        inTransaction(c -> {
            Optional<Stored> found = nameProblem(name) == null ? stored(c, name) : Optional.empty();
            if (found.isEmpty()) {
                Passwords.spendVerification(password);
                audit.append(c, AuditEvent.of(AuditAction.CONSOLE_LOGIN_FAILED, UNKNOWN_ACTOR).withOutcome("refused")
                        .withCode("account.unknown"));
                result[0] = new Login(null, "account.unknown");
                return;
            }
            Stored stored = found.get();
            Instant now = clock.instant();
            String refusal = null;
            long step = -1;
            if (stored.account.lockedUntil() != null && now.isBefore(stored.account.lockedUntil().toInstant())) {
                refusal = "account.locked";
            } else if (!Passwords.matches(password, stored.hash)) {
                refusal = "password.wrong";
            } else if (stored.account.disabled()) {
                refusal = "account.disabled";
            } else if (stored.totpSecret == null && settings.totpRequired()) {
                refusal = "totp.not-enrolled";
            } else if (stored.totpSecret != null) {
                step = Totp.matchingStep(stored.totpSecret, totpCode, now);
                if (step < 0 || (stored.totpLastStep != null && step <= stored.totpLastStep)) {
                    refusal = "totp.wrong";
                }
            }
            if (refusal == null) {
                try (PreparedStatement s = c.prepareStatement("UPDATE console_account SET failed_logins = 0, "
                        + "locked_until = NULL, last_login_at = ?, totp_last_step = ? WHERE name = ?")) {
                    s.setObject(1, now());
                    s.setObject(2, step < 0 ? stored.totpLastStep : Long.valueOf(step));
                    s.setString(3, name);
                    s.executeUpdate();
                }
                audit.append(c, AuditEvent.of(AuditAction.CONSOLE_LOGIN, name).withOutcome("ok"));
                result[0] = new Login(stored.account, null);
                return;
            }
            if (!refusal.equals("account.locked") && !refusal.equals("account.disabled")) {
                int failures = stored.account.failedLogins() + 1;
                Duration lock = settings.lockout(failures);
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE console_account SET failed_logins = ?, locked_until = ? WHERE name = ?")) {
                    s.setInt(1, failures);
                    s.setObject(2, lock.isZero() ? null : now().plus(lock));
                    s.setString(3, name);
                    s.executeUpdate();
                }
            }
            audit.append(c, AuditEvent.of(AuditAction.CONSOLE_LOGIN_FAILED, name).withOutcome("refused").withCode(refusal));
            result[0] = new Login(null, refusal);
        });
        return result[0];
    }

    /** Whether the account may still use a session: it exists and is not disabled. */
    boolean active(String name) throws SQLException {
        return find(name).map(a -> !a.disabled()).orElse(false);
    }

    private static final String COLUMNS = "name, role, disabled, totp_secret, failed_logins, locked_until, created_at, "
            + "last_login_at, password_hash, totp_last_step";

    private record Stored(Account account, String hash, String totpSecret, Long totpLastStep) {
    }

    private static Optional<Account> find(Connection c, String name) throws SQLException {
        return stored(c, name).map(Stored::account);
    }

    private static Optional<Stored> stored(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM console_account WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long last = rs.getLong(10);
                return Optional.of(new Stored(account(rs), rs.getString(9), rs.getString(4), rs.wasNull() ? null : last));
            }
        }
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString(1), Role.of(rs.getString(2)), rs.getBoolean(3), rs.getString(4) != null,
                rs.getInt(5), rs.getObject(6, OffsetDateTime.class), rs.getObject(7, OffsetDateTime.class),
                rs.getObject(8, OffsetDateTime.class));
    }

    private void update(String name, String sql, AuditAction action, String actor) throws SQLException {
        inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, name);
                if (s.executeUpdate() != 1) {
                    throw new IllegalArgumentException("no account named " + name);
                }
            }
            audit.append(c, AuditEvent.of(action, actor).withCode("account:" + name));
        });
    }

    private void requireName(String name) {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    private void requirePassword(char[] password) {
        String problem = settings.passwordProblem(password);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
