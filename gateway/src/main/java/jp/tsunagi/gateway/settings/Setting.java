package jp.tsunagi.gateway.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One key of {@code gateway.properties}: its type, default, allowed values and meaning. Declared once, in
 * {@link Settings}; the classes that use a setting read its typed value from there.
 *
 * @param <T> the type of the value
 */
public final class Setting<T> {
    private final String key;
    private final String type;
    private final T defaultValue;
    private final String defaultText;
    private final String allowed;
    private final String description;
    private final Function<String, T> parser;
    private final Predicate<T> inRange;
    private final String environment;
    private final boolean secret;
    /** The default as a value one could write in the file, null when the default is described in words or none. */
    private final String defaultLiteral;

    private Setting(String key, String type, T defaultValue, String defaultText, String allowed, String description,
                    Function<String, T> parser, Predicate<T> inRange, String environment, boolean secret) {
        this(key, type, defaultValue, defaultText, allowed, description, parser, inRange, environment, secret,
                defaultValue != null ? defaultText : null);
    }

    private Setting(String key, String type, T defaultValue, String defaultText, String allowed, String description,
                    Function<String, T> parser, Predicate<T> inRange, String environment, boolean secret,
                    String defaultLiteral) {
        this.defaultLiteral = defaultLiteral;
        this.key = Objects.requireNonNull(key, "key");
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.allowed = allowed;
        this.description = description;
        this.parser = parser;
        this.inRange = inRange;
        this.environment = environment;
        this.secret = secret;
    }

    // ---- the kinds of setting

    /** A whole number from {@code min} to {@code max}. */
    static Setting<Integer> number(String key, int defaultValue, int min, int max, String description) {
        String allowed = max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
        return new Setting<>(key, "whole number", defaultValue, String.valueOf(defaultValue), allowed, description, text -> {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number");
            }
        }, n -> n >= min && n <= max, null, false);
    }

    /** An ISO 8601 duration ({@code PT1H}, {@code P90D}) from {@code min} to {@code max} (null: no upper bound). */
    static Setting<Duration> duration(String key, String defaultText, Duration min, Duration max, String allowed,
                                      String description) {
        return new Setting<>(key, "duration (ISO 8601)", Duration.parse(defaultText), defaultText, allowed, description,
                text -> {
                    try {
                        return Duration.parse(text.toUpperCase(Locale.ROOT));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("not an ISO 8601 duration such as PT1H or P90D");
                    }
                }, d -> d.compareTo(min) >= 0 && (max == null || d.compareTo(max) <= 0), null, false);
    }

    /** A duration written short ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}) or in ISO 8601 ({@code PT30S}). */
    static Setting<Duration> shortDuration(String key, String defaultText, Duration min, String allowed, String description) {
        return new Setting<>(key, "duration (500ms, 30s, 5m, 1h or ISO 8601)", shortDuration(defaultText), defaultText,
                allowed, description, Setting::shortDuration, d -> d.compareTo(min) >= 0, null, false);
    }

    /** {@code true} or {@code false}. */
    static Setting<Boolean> bool(String key, boolean defaultValue, String description) {
        return new Setting<>(key, "true or false", defaultValue, String.valueOf(defaultValue), "true, false", description,
                text -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("must be true or false");
                }, b -> true, null, false);
    }

    /** Free text; {@code defaultValue} null for none. */
    static Setting<String> text(String key, String type, String defaultValue, String description) {
        return new Setting<>(key, type, defaultValue, defaultValue, "", description, text -> text, s -> true, null, false);
    }

    /** One of a few words, case-insensitive; the value is lower case. */
    static Setting<String> oneOf(String key, String defaultValue, List<String> values, String description) {
        String allowed = String.join(", ", values);
        return new Setting<>(key, "one of", defaultValue, defaultValue, allowed, description, text -> {
            String word = text.toLowerCase(Locale.ROOT);
            if (!values.contains(word)) {
                throw new IllegalArgumentException("must be " + allowed.replaceFirst(", ([^,]*)$", " or $1"));
            }
            return word;
        }, s -> true, null, false);
    }

    /** A file or directory; {@code defaultText} says what applies when it is not set (the value is then null). */
    static Setting<Path> path(String key, Path defaultValue, String defaultText, String description) {
        return new Setting<>(key, "path", defaultValue, defaultText, "", description, Path::of, p -> true, null, false);
    }

    /** Files, comma-separated. */
    static Setting<List<Path>> paths(String key, String defaultText, String description) {
        return new Setting<>(key, "paths, comma-separated", List.of(), defaultText, "", description,
                text -> Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).toList(),
                p -> true, null, false, null);
    }

    /** ISO dates, comma-separated. */
    static Setting<Set<LocalDate>> dates(String key, String description) {
        return new Setting<>(key, "ISO dates, comma-separated", Set.of(), null, "", description, text -> {
            TreeSet<LocalDate> days = new TreeSet<>();
            for (String item : text.split(",")) {
                String date = item.strip();
                if (!date.isEmpty()) {
                    try {
                        days.add(LocalDate.parse(date));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(date + " is not an ISO date such as 2026-10-01");
                    }
                }
            }
            return Collections.unmodifiableSet(days);
        }, d -> true, null, false);
    }

    /** The environment variable that, when set and not empty, takes precedence over the file. */
    Setting<T> fromEnvironment(String variable) {
        return new Setting<>(key, type, defaultValue, defaultText, allowed, description, parser, inRange, variable, secret,
                defaultLiteral);
    }

    /** A password or the like: never shown in a message, never handed to Camel. */
    Setting<T> secret() {
        return new Setting<>(key, type, defaultValue, defaultText, allowed, description, parser, inRange, environment, true,
                defaultLiteral);
    }

    // ---- reading

    /**
     * The value of a text (stripped; blank gives the default).
     *
     * @throws IllegalArgumentException "key=value: why" (without the value for a secret)
     */
    public T parse(String text) {
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        String value = text.strip();
        T parsed;
        try {
            parsed = parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(shown(value) + ": " + e.getMessage());
        }
        if (!inRange.test(parsed)) {
            throw new IllegalArgumentException(shown(value) + ": must be " + allowed);
        }
        return parsed;
    }

    /**
     * A value given in code, checked against the allowed range.
     *
     * @throws IllegalArgumentException "key=value: must be ..." when outside it
     */
    public T check(T value) {
        if (value != null && !inRange.test(value)) {
            throw new IllegalArgumentException(shown(String.valueOf(value)) + ": must be " + allowed);
        }
        return value;
    }

    /** The value in properties already read, else the default (for code that holds {@link Properties}). */
    public T read(Properties properties) {
        return parse(properties.getProperty(key));
    }

    private String shown(String value) {
        return secret ? key : key + "=" + value;
    }

    private static Duration shortDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
            }
            long amount = Long.parseLong(t.substring(0, t.length() - 1).strip());
            switch (t.charAt(t.length() - 1)) {
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
        throw new IllegalArgumentException("not a duration (write e.g. 500ms, 30s, 5m, 1h or PT30S)");
    }

    // ---- what the reference says

    public String key() {
        return key;
    }

    public String type() {
        return type;
    }

    /** The default as the reference writes it; null for none. */
    public String defaultText() {
        return defaultText;
    }

    /** The default as it could be written in the file; null when there is none or it is described in words. */
    public String defaultLiteral() {
        return defaultLiteral;
    }

    /** The value when the setting is absent (null for none). */
    public T defaultValue() {
        return defaultValue;
    }

    /** The allowed values or range in words; empty for any. */
    public String allowed() {
        return allowed;
    }

    public String description() {
        return description;
    }

    /** The environment variable that overrides the file, or null. */
    public String environment() {
        return environment;
    }

    public boolean isSecret() {
        return secret;
    }

    @Override
    public String toString() {
        return key;
    }
}
