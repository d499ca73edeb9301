package jp.tsunagi.connectors.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import jp.tsunagi.schema.TsunagiSchema;

/**
 * Resolves message paths against the shared JSON Schema (derived from the XSD), so that a mapping naming a field
 * the schema does not have, or a code the code list does not have, is reported by {@code config check} with its
 * line instead of failing on the first record.
 */
final class SchemaPaths {
    /** What the schema says of the value at a path: its JSON type, and its codes when it is a code list. */
    record Leaf(String type, Set<String> codes, Leaf items) {
        boolean isInteger() {
            return "integer".equals(type);
        }

        boolean isBoolean() {
            return "boolean".equals(type);
        }

        /** What a code table may map to: the code list's codes, or {@code true} and {@code false} for a boolean. */
        Set<String> allowedValues() {
            return isBoolean() ? Set.of("true", "false") : codes;
        }
    }

    private static final JsonNode SCHEMA = load();

    private SchemaPaths() {
    }

    /** @throws IllegalArgumentException naming the first step the schema does not have */
    static Leaf resolve(TreePath path) {
        JsonNode node = SCHEMA;
        StringBuilder walked = new StringBuilder();
        for (TreePath.Step step : path.steps()) {
            JsonNode properties = deref(node).get("properties");
            JsonNode next = properties == null ? null : properties.get(step.name());
            walked.append(walked.length() == 0 ? "" : ".").append(step.name());
            if (next == null) {
                throw new IllegalArgumentException("the message schema has no field " + walked);
            }
            node = deref(next);
            for (int ignored : step.indexes()) {
                if (!"array".equals(node.path("type").asText())) {
                    throw new IllegalArgumentException(walked + " is not a list in the message schema");
                }
                node = deref(node.get("items"));
                walked.append("[]");
            }
        }
        return leaf(node);
    }

    private static Leaf leaf(JsonNode node) {
        String type = node.path("type").asText("object");
        Set<String> codes = new LinkedHashSet<>();
        node.path("enum").forEach(code -> codes.add(code.asText()));
        Leaf items = "array".equals(type) ? leaf(deref(node.get("items"))) : null;
        return new Leaf(type, Set.copyOf(codes), items);
    }

    private static JsonNode deref(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            String name = current.get("$ref").asText().substring("#/$defs/".length());
            current = SCHEMA.get("$defs").get(name);
        }
        return current;
    }

    private static JsonNode load() {
        try {
            return new ObjectMapper().readTree(TsunagiSchema.resourceBytes(TsunagiSchema.JSON_SCHEMA_RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
