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
import jp.tsunagi.gateway.settings.Setting;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;

/**
 * The {@code tsunagi.console.*} keys of {@code conf/gateway.properties} (docs/administrator-guide.md, 管理画面),
 * declared in the settings registry ({@link Settings}, docs/settings.md):
 *
 * <ul>
 *   <li>{@code session-idle-timeout} (default PT15M): a session unused this long ends;</li>
 *   <li>{@code session-absolute-timeout} (default PT8H): a session ends this long after login, used or not;</li>
 *   <li>{@code totp-required} (default false): every login needs a one-time password (二要素認証);</li>
 *   <li>{@code password-min-length} (default 12, at least 8): the shortest password accepted;</li>
 *   <li>{@code lockout-threshold} (default 5): consecutive failed logins before the account is locked, for
 *       {@code lockout-delay} (default PT1M) doubled with each further failure, at most 1 hour.</li>
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

    /** The keys as given (a test's), each checked and defaulted as the settings registry declares it. */
    public static ConsoleSettings fromProperties(Properties p) {
        return new ConsoleSettings(value(p, Settings.CONSOLE_SESSION_IDLE_TIMEOUT), value(p, Settings.CONSOLE_SESSION_ABSOLUTE_TIMEOUT),
                value(p, Settings.CONSOLE_TOTP_REQUIRED), value(p, Settings.CONSOLE_PASSWORD_MIN_LENGTH),
                value(p, Settings.CONSOLE_LOCKOUT_THRESHOLD), value(p, Settings.CONSOLE_LOCKOUT_DELAY));
    }

    /** From {@code <conf>/gateway.properties}, read and checked by the settings registry (docs/settings.md). */
    public static ConsoleSettings inConfDirectory(Path conf) {
        return fromProperties(SettingsFile.load(conf).properties());
    }

    private static <T> T value(Properties p, Setting<T> setting) {
        String text = p.getProperty(setting.key());
        return setting.parse(text == null ? null : text.strip());
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
}
