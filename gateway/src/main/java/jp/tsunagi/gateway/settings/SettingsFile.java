package jp.tsunagi.gateway.settings;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code conf/gateway.properties} read against the declarations of {@link Settings}: every {@code tsunagi.*} key
 * must be declared and its value of the right type and range; {@code {{env:NAME}}} and {@code {{env:NAME:default}}}
 * in a value take it from the environment. Each problem names the file and line. Keys outside {@code tsunagi.*}
 * ({@code camel.*}, and properties the routes name) are kept as they are, for Camel's property placeholders.
 */
public final class SettingsFile {
    public static final String FILE_NAME = "gateway.properties";
    /** {{name}} or {{name:default}} or {{function:argument}}, as Camel writes property placeholders. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]+)}}");

    /** A key's value as written (placeholders resolved) and the line it is on. */
    private record Entry(String value, int line) {
    }

    private final Path file;
    private final Map<String, Entry> entries;
    /**
     * Keys of the routes' own (outside {@code tsunagi.*}) whose environment variable is not set, with why: only a route
     * that uses one needs it, so it is that route's problem (config check names the route's line), not the file's:
     * the audit commands, say, need no SFTP password.
     */
    private final Map<String, String> unresolved;
    private final UnaryOperator<String> environment;

    private SettingsFile(Path file, Map<String, Entry> entries, Map<String, String> unresolved,
                         UnaryOperator<String> environment) {
        this.unresolved = unresolved;
        this.file = file;
        this.entries = entries;
        this.environment = environment;
    }

    /** The file of a conf directory with the process's environment; absent, every setting has its default. */
    public static SettingsFile load(Path confDirectory) {
        return load(confDirectory, System::getenv);
    }

    /**
     * @param environment the environment variables (a test gives its own)
     * @throws SettingsException listing every problem, each "file:line: what"
     */
    public static SettingsFile load(Path confDirectory, UnaryOperator<String> environment) {
        Path file = confDirectory.resolve(FILE_NAME);
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> unresolved = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (Files.isRegularFile(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new SettingsException(List.of(file + ": cannot be read (" + e.getClass().getSimpleName() + ")"));
            }
            SettingsFile partial = new SettingsFile(file, entries, unresolved, environment);
            for (Map.Entry<Integer, String> logical : logicalLines(lines).entrySet()) {
                partial.read(logical.getKey(), logical.getValue(), problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return new SettingsFile(file, entries, unresolved, environment);
    }

    /** One key=value line: checked, resolved and kept, or a problem. */
    private void read(int line, String text, List<String> problems) {
        Properties one = new Properties();
        try {
            one.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            problems.add(at(line) + "cannot be read as key=value");
            return;
        }
        for (String key : one.stringPropertyNames()) {
            Optional<Setting<?>> setting = Settings.named(key);
            if (key.startsWith(Settings.PREFIX) && setting.isEmpty()) {
                problems.add(at(line) + "unknown setting " + key
                        + Settings.nearest(key).map(k -> " (did you mean " + k + "?)").orElse("")
                        + "; the settings are listed in docs/settings.md");
                continue;
            }
            String value;
            try {
                value = resolveEnvironment(one.getProperty(key));
            } catch (IllegalArgumentException e) {
                if (setting.isEmpty()) {
                    unresolved.put(key, e.getMessage());
                } else {
                    problems.add(at(line) + key + ": " + e.getMessage());
                }
                continue;
            }
            try {
                setting.ifPresent(s -> s.parse(value));
                entries.put(key, new Entry(value, line));
            } catch (IllegalArgumentException e) {
                problems.add(at(line) + (e.getMessage().startsWith(key) ? "" : key + ": ") + e.getMessage());
            }
        }
    }

    /** "gateway.properties:12: " with the path as given. */
    private String at(int line) {
        return file + ":" + line + ": ";
    }

    /** A setting's value: the environment variable that overrides it, the file, else the default. */
    public <T> T get(Setting<T> setting) {
        return setting.parse(text(setting));
    }

    private String text(Setting<?> setting) {
        if (setting.environment() != null) {
            String value = environment.apply(setting.environment());
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        Entry entry = entries.get(setting.key());
        return entry == null ? null : entry.value();
    }

    /** The file's values (placeholders resolved) as properties, for code that reads {@link Properties}. */
    public Properties properties() {
        Properties p = new Properties();
        entries.forEach((key, entry) -> p.setProperty(key, entry.value()));
        return p;
    }

    /**
     * What Camel's property placeholders see: every declared setting that has a value (its default when the file
     * does not set it; secrets never), and every other key of the file ({@code camel.*}, the routes' own).
     */
    public Map<String, String> placeholders() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting<?> s : Settings.ALL) {
            String value = text(s);
            if (value == null || value.isBlank()) {
                value = s.defaultLiteral();
            }
            if (!s.isSecret() && value != null) {
                out.put(s.key(), value.strip());
            }
        }
        entries.forEach((key, entry) -> {
            if (!key.startsWith(Settings.PREFIX)) {
                out.put(key, entry.value());
            }
        });
        return out;
    }

    /**
     * A route's text with its placeholders replaced, as Camel will replace them (the demo reads routes as data).
     *
     * @throws IllegalArgumentException naming a placeholder that has no value
     */
    public String resolve(String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = valueOf(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException(problemOf(m.group(1)));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** What is wrong with the placeholders of a route's text (empty when each has a value). */
    public List<String> placeholderProblems(String text) {
        List<String> problems = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (valueOf(m.group(1)) == null) {
                problems.add(problemOf(m.group(1)));
            }
        }
        return problems;
    }

    /** The problems of a route's placeholders when gateway.properties itself is invalid: only undeclared settings. */
    public static List<String> undeclaredPlaceholders(String text) {
        List<String> problems = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            String key = nameOf(m.group(1));
            if (key.startsWith(Settings.PREFIX) && Settings.named(key).isEmpty()) {
                problems.add(problem(m.group(1)));
            }
        }
        return problems;
    }

    private String valueOf(String placeholder) {
        String name = nameOf(placeholder);
        String fallback = placeholder.length() > name.length() ? placeholder.substring(name.length() + 1) : null;
        if (name.startsWith("env:")) {
            String value = environment.apply(name.substring(4));
            return value != null ? value : fallback;
        }
        if (name.contains(":")) {
            return "";  // another Camel function (sys:, bean:, ...): Camel resolves it
        }
        Optional<Setting<?>> setting = Settings.named(name);
        if (name.startsWith(Settings.PREFIX)) {
            String value = setting.filter(s -> !s.isSecret()).map(s -> placeholders().get(s.key())).orElse(null);
            return value != null || setting.isEmpty() ? value : fallback;
        }
        Entry entry = entries.get(name);
        return entry != null ? entry.value() : fallback;
    }

    /** The key of a placeholder: {@code env:NAME} of {@code env:NAME:default}, {@code key} of {@code key:default}. */
    private static String nameOf(String placeholder) {
        String p = placeholder.strip();
        int colon = p.indexOf(':');
        if (colon < 0) {
            return p;
        }
        if (p.startsWith("env:")) {
            int second = p.indexOf(':', 4);
            return second < 0 ? p : p.substring(0, second);
        }
        return Settings.named(p.substring(0, colon)).isPresent() || p.startsWith(Settings.PREFIX)
                || !p.substring(0, colon).matches("[a-z]+") ? p.substring(0, colon) : p;
    }

    /** Why a placeholder has no value, with the unset environment variable behind a key of the file's. */
    private String problemOf(String placeholder) {
        String why = unresolved.get(nameOf(placeholder));
        return why != null ? "{{" + placeholder + "}}: " + why : problem(placeholder);
    }

    private static String problem(String placeholder) {
        String name = nameOf(placeholder);
        if (name.startsWith("env:")) {
            return "{{" + placeholder + "}}: the environment variable " + name.substring(4) + " is not set";
        }
        if (name.startsWith(Settings.PREFIX)) {
            Optional<Setting<?>> s = Settings.named(name);
            if (s.isPresent()) {
                return "{{" + placeholder + "}}: " + name + (s.get().isSecret()
                        ? " is a secret; name an environment variable instead" : " has no value in " + FILE_NAME);
            }
            return "{{" + placeholder + "}}: no setting " + name
                    + Settings.nearest(name).map(k -> " (did you mean " + k + "?)").orElse("")
                    + "; the settings are listed in docs/settings.md";
        }
        return "{{" + placeholder + "}}: " + name + " is not set in " + FILE_NAME;
    }

    /** A value with {{env:NAME}} and {{env:NAME:default}} taken from the environment. */
    private String resolveEnvironment(String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = nameOf(m.group(1));
            String replacement = m.group(0);
            if (name.startsWith("env:")) {
                replacement = valueOf(m.group(1));
                if (replacement == null) {
                    throw new IllegalArgumentException(problem(m.group(1)));
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The logical lines of a properties file (continuations joined) by the number of their first line; comments and
     * blank lines left out.
     */
    private static Map<Integer, String> logicalLines(List<String> lines) {
        Map<Integer, String> out = new LinkedHashMap<>();
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (current == null) {
                String trimmed = line.stripLeading();
                if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")) {
                    continue;
                }
                current = new StringBuilder();
                start = i + 1;
            }
            current.append(line).append('\n');
            if (!continues(line)) {
                out.put(start, current.toString());
                current = null;
            }
        }
        if (current != null) {
            out.put(start, current.toString());
        }
        return out;
    }

    /** Whether a line ends with an odd number of backslashes (it continues on the next). */
    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    /** The line of a key in the file, for a problem found after reading (e.g. two settings that contradict). */
    public Optional<String> locate(String key) {
        Entry entry = entries.get(key);
        return entry == null ? Optional.empty() : Optional.of(at(entry.line()));
    }

    public Path file() {
        return file;
    }
}
