package jp.tsunagi.connectors.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Strict reading of a YAML configuration file: a repeated key or an unknown key is refused, and every error names the
 * file and the line, in the words of the file rather than Jackson's. Knows where each node starts (by JSON Pointer)
 * so that problems found after binding can name their line too.
 */
public final class StrictYaml {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new YAMLMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** SnakeYAML's mark of where a problem, or what was being read, stands. */
    private static final Pattern MARK = Pattern.compile("^ in '[^']*', line (\\d+), column \\d+");

    private final Path file;
    private final Map<String, JsonLocation> locations;
    private final String whatItNeeds;

    private StrictYaml(Path file, Map<String, JsonLocation> locations, String whatItNeeds) {
        this.file = file;
        this.locations = locations;
        this.whatItNeeds = whatItNeeds;
    }

    /** Checks syntax and repeated keys; an empty document is refused with {@code whatItNeeds}. */
    public static StrictYaml scan(Path file, byte[] bytes, String whatItNeeds) {
        Map<String, JsonLocation> locations = new HashMap<>();
        Set<String> keys = new HashSet<>();
        // The YAML parser does not detect repeated keys itself: a first pass over the tokens does.
        try (JsonParser parser = YAML.createParser(bytes)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                JsonStreamContext context = parser.getParsingContext();
                String pointer = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY
                        ? context.getParent() == null ? "" : context.getParent().pathAsPointer().toString()
                        : context.pathAsPointer().toString();
                if (token == JsonToken.FIELD_NAME && !keys.add(pointer)) {
                    throw new IllegalArgumentException(at(file, parser.currentTokenLocation())
                            + "\"" + parser.currentName() + "\" appears twice in the same section");
                }
                locations.putIfAbsent(pointer, parser.currentTokenLocation());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(at(file, e.getLocation()) + syntax(e));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (locations.isEmpty()) {
            throw new IllegalArgumentException(file + ": is empty; " + whatItNeeds);
        }
        return new StrictYaml(file, Collections.unmodifiableMap(locations), whatItNeeds);
    }

    /** Binds the document; unknown keys and values outside the code lists are refused, a null document as empty. */
    public <T> T bind(byte[] bytes, Class<T> type) {
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new IllegalArgumentException(file + ": is empty; " + whatItNeeds);
            }
            return value;
        } catch (JsonProcessingException e) {
            // Jackson's location of an unknown key is the end of its value; the scan knows where the key is
            String pointer = e instanceof JsonMappingException m ? pointer(m.getPath()) : null;
            String where = pointer != null && locations.containsKey(pointer) ? at(pointer) : at(file, e.getLocation());
            throw new IllegalArgumentException(where + describe(e));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code /flows/2/bases} from Jackson's reference path, or null when it has no steps. */
    private static String pointer(List<JsonMappingException.Reference> references) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                pointer.append('/').append(reference.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (reference.getIndex() >= 0) {
                pointer.append('/').append(reference.getIndex());
            }
        }
        return pointer.length() == 0 ? null : pointer.toString();
    }

    /** Whether the file has a node at the pointer, an empty value ({@code key:} alone) included. */
    public boolean has(String pointer) {
        return locations.containsKey(pointer);
    }

    /** "file, line N: " for the node at the pointer, or its nearest ancestor that is in the file. */
    public String at(String pointer) {
        String p = pointer;
        while (!p.isEmpty() && !locations.containsKey(p)) {
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return at(file, locations.get(p));
    }

    private static String at(Path file, JsonLocation location) {
        return location == null || location.getLineNr() <= 0 ? file + ": " : file + ", line " + location.getLineNr() + ": ";
    }

    /** A null-tolerant unmodifiable copy: an empty list item stays visible (as null) for the checks to report. */
    public static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }

    private static String describe(JsonProcessingException e) {
        String where = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        String prefix = where.isEmpty() ? "" : where + ": ";
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            int cut = where.lastIndexOf('.');
            String section = cut > 0 ? " in " + where.substring(0, cut) : "";
            return "unknown key \"" + u.getPropertyName() + "\"" + section + (known.isEmpty() ? "" : " (allowed: " + known + ")");
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            String allowed = Arrays.stream(f.getTargetType().getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
            return prefix + "unknown value \"" + f.getValue() + "\" (allowed: " + allowed + ")";
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            Class<?> type = m.getTargetType();
            String expected = type.isRecord() ? "a section with the keys " + Arrays.stream(type.getRecordComponents())
                    .map(c -> c.getName()).collect(Collectors.joining(", "))
                    : type.isEnum() ? "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "))
                    : List.class.isAssignableFrom(type) ? "a list"
                    : Map.class.isAssignableFrom(type) ? "a section (key: value)" : "a single value";
            return prefix + "expected " + expected;
        }
        return prefix + syntax(e);
    }

    /**
     * The parser's message on one line: SnakeYAML writes "while parsing X / mark / snippet / problem / mark"; the
     * problem comes first, then what was being read and the line where it starts. Indented lines (marks, snippets
     * that quote the file) are dropped.
     */
    private static String syntax(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        List<String> texts = new ArrayList<>();
        String startLine = null;
        for (String line : message.split("\n")) {
            Matcher mark = MARK.matcher(line);
            if (mark.find()) {
                if (texts.size() == 1 && startLine == null) {
                    startLine = mark.group(1);
                }
            } else if (!line.isBlank() && !line.startsWith(" ") && !line.startsWith("\t")) {
                texts.add(line.strip());
            }
        }
        if (texts.isEmpty()) {
            return "not valid YAML";
        }
        return texts.size() == 1 ? texts.get(0) : texts.get(texts.size() - 1) + " (" + texts.get(0)
                + (startLine == null ? "" : " that starts on line " + startLine) + ")";
    }

    /** {@code flows[2].bases} from Jackson's reference path. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
