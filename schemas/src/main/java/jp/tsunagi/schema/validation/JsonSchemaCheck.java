package jp.tsunagi.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import jp.tsunagi.schema.TsunagiSchema;

/** Layer 2 for JSON: the generated JSON Schema (2020-12), every error with its JSON Pointer. */
final class JsonSchemaCheck {
    private static final JsonSchema SCHEMA = load();
    /** The longest list the schema allows anywhere: a longer one is refused before the schema runs over each entry. */
    static final int LONGEST_LIST = longestList();

    private JsonSchemaCheck() {
    }

    static List<Problem> check(JsonNode message) {
        List<Problem> tooLong = new java.util.ArrayList<>();
        tooLongLists(message, "", tooLong);
        if (!tooLong.isEmpty()) {
            return tooLong;
        }
        return SCHEMA.validate(message).stream()
                .map(JsonSchemaCheck::toProblem)
                .distinct()
                .sorted(Comparator.comparing(Problem::path))
                .toList();
    }

    private static Problem toProblem(ValidationMessage m) {
        String pointer = m.getInstanceLocation().toString();
        // a repeated code has the code the model rules give it in XML, so both syntaxes answer alike
        ProblemCode code = m.getType().equals("uniqueItems") ? ProblemCode.FIELD_DUPLICATE : ProblemCode.SCHEMA_INVALID;
        return Problem.of(code, pointer, detail(m));
    }

    private static void tooLongLists(JsonNode node, String pointer, List<Problem> problems) {
        if (node.isArray() && node.size() > LONGEST_LIST) {
            problems.add(Problem.of(ProblemCode.FIELD_SIZE, pointer, "is longer than any list of the schema allows ("
                    + LONGEST_LIST + " entries)"));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                tooLongLists(node.get(i), pointer + "/" + i, problems);
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(member -> tooLongLists(member.getValue(),
                    pointer + "/" + safeName(member.getKey()), problems)); // never a member name that is not ours
        }
    }

    private static int longestList() {
        try (InputStream in = TsunagiSchema.resource(TsunagiSchema.JSON_SCHEMA_RESOURCE)) {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).findValues("maxItems").stream()
                    .mapToInt(JsonNode::asInt).max().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Built from the keyword and the schema, never from networknt's text, which may quote the value. */
    private static String detail(ValidationMessage m) {
        String type = definitionName(m.getSchemaLocation().toString());
        String ofType = type.isEmpty() ? "" : " (" + type + ")";
        return switch (m.getType()) {
            case "required" -> "missing required member '" + safeName(m.getProperty()) + "'";
            case "additionalProperties" -> "unknown member '" + safeName(m.getProperty()) + "'";
            case "pattern" -> "does not have the required form" + ofType;
            case "enum" -> "is not one of the allowed codes" + ofType;
            case "type" -> "has the wrong JSON type" + ofType;
            case "format" -> "is not a valid date or date-time" + ofType;
            case "minLength", "minItems" -> "is too short" + ofType;
            case "maxLength", "maxItems" -> "is too long" + ofType;
            case "minimum", "maximum" -> "is out of range" + ofType;
            case "uniqueItems" -> "repeats a code named before in the list" + ofType;
            case "oneOf" -> "must have exactly one of its alternatives";
            case "const", "if", "then", "allOf" -> "the body does not match messageType";
            default -> "violates '" + m.getType() + "'" + ofType;
        };
    }

    /** "…#/$defs/KanaText/pattern" gives "KanaText". */
    private static String definitionName(String schemaLocation) {
        int defs = schemaLocation.indexOf("/$defs/");
        if (defs < 0) {
            return "";
        }
        String rest = schemaLocation.substring(defs + 7);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /** A member name is echoed only when it looks like one of ours, so a name made of personal data is not. */
    private static String safeName(String name) {
        return name != null && name.matches("[A-Za-z][A-Za-z0-9_]{0,63}") ? name : "?";
    }

    private static JsonSchema load() {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_POINTER)
                .build();
        try (InputStream in = TsunagiSchema.resource(TsunagiSchema.JSON_SCHEMA_RESOURCE)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
