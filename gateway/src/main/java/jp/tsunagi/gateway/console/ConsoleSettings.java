package jp.tsunagi.gateway.console;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Properties;

/**
 * The {@code tsunagi.console.*} keys of {@code conf/gateway.properties} (docs/administrator-guide.md, 管理画面):
 *
 * <ul>
 *   <li>{@code session-idle-timeout} (default 15m): a session unused this long ends;</li>
 *   <li>{@code session-absolute-timeout} (default 8h): a session ends this long after login, used or not;</li>
 *   <li>{@code totp-required} (default false): every login needs a one-time password (二要素認証);</li>
 *   <li>{@code password-min-length} (default 12, at least 8): the shortest password accepted;</li>
 *   <li>{@code lockout-threshold} (default 5): consecutive failed logins before the account is locked, for
 *       {@code lockout-delay} (default 1m) doubled with each further failure, at most 1 hour.</li>
 * </ul>
 */
public record ConsoleSettings(Duration idleTimeout, Duration absoluteTimeout, boolean totpRequired, int passwordMinLength,
        int lockoutThreshold, Duration lockoutDelay) {
    public static final String PREFIX = "tsunagi.console.";
    /** The longest password accepted: a bound on the work of one hash. */
    public static final int PASSWORD_MAX_LENGTH = 128;
    static final Duration LOCKOUT_MAX = Duration.ofHours(1);

    public ConsoleSettings {
        if (idleTimeout.isNegative() || idleTimeout.isZero() || absoluteTimeout.compareTo(idleTimeout) < 0) {
            throw new IllegalArgumentException(PREFIX + "session-idle-timeout must be positive and at most "
                    + PREFIX + "session-absolute-timeout");
        }
        if (passwordMinLength < 8 || passwordMinLength > PASSWORD_MAX_LENGTH) {
            throw new IllegalArgumentException(PREFIX + "password-min-length must be between 8 and " + PASSWORD_MAX_LENGTH);
        }
        if (lockoutThreshold < 1 || lockoutDelay.isNegative() || lockoutDelay.isZero()) {
            throw new IllegalArgumentException(PREFIX + "lockout-threshold and " + PREFIX + "lockout-delay must be positive");
        }
    }

    public static ConsoleSettings defaults() {
        return fromProperties(new Properties());
    }

    public static ConsoleSettings fromProperties(Properties p) {
        return new ConsoleSettings(duration(p, "session-idle-timeout", "15m"), duration(p, "session-absolute-timeout", "8h"),
                Boolean.parseBoolean(p.getProperty(PREFIX + "totp-required", "false").strip()),
                number(p, "password-min-length", 12), number(p, "lockout-threshold", 5),
                duration(p, "lockout-delay", "1m"));
    }

    /** From {@code <conf>/gateway.properties} (absent: the defaults). */
    public static ConsoleSettings inConfDirectory(Path conf) {
        Properties p = new Properties();
        Path file = conf.resolve("gateway.properties");
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        return fromProperties(p);
    }

    /** Why the password is refused, or null. Length only (NIST SP 800-63B): no composition rules. */
    public String passwordProblem(char[] password) {
        if (password.length < passwordMinLength) {
            return "the password must have at least " + passwordMinLength + " characters";
        }
        if (password.length > PASSWORD_MAX_LENGTH) {
            return "the password must have at most " + PASSWORD_MAX_LENGTH + " characters";
        }
        return null;
    }

    /** How long the account stays locked after this many consecutive failures (zero below the threshold). */
    public Duration lockout(int failures) {
        if (failures < lockoutThreshold) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - lockoutThreshold, 20);
        Duration delay = lockoutDelay.multipliedBy(1L << doublings);
        return delay.compareTo(LOCKOUT_MAX) > 0 ? LOCKOUT_MAX : delay;
    }

    private static int number(Properties p, String name, int fallback) {
        String text = p.getProperty(PREFIX + name);
        try {
            return text == null || text.isBlank() ? fallback : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + name + "=" + text.strip() + ": not a whole number");
        }
    }

    private static Duration duration(Properties p, String name, String fallback) {
        String text = p.getProperty(PREFIX + name, fallback).strip().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1).strip());
            switch (text.charAt(text.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(amount);
                case 'm':
                    return Duration.ofMinutes(amount);
                case 'h':
                    return Duration.ofHours(amount);
                default:
                    break;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            // reported below
        }
        throw new IllegalArgumentException(PREFIX + name + "=" + text + ": not a duration (write e.g. 30s, 15m, 8h or PT15M)");
    }
}
