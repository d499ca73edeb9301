package jp.tsunagi.schema.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;
import org.w3c.dom.Element;

/**
 * JSON form of the message: a strict parser (duplicate members, depth, sizes and trailing content refused; no
 * polymorphic typing anywhere) and a binding of the generated model by field, so JSON member names are the
 * XSD element names (plural for repeated elements) and nothing else can appear.
 */
public final class JsonCodec {
    /** The JSON member holding the detached JWS; it is not part of the model. */
    public static final String SIGNATURE_MEMBER = "signature";

    private static final ObjectMapper MAPPER = newMapper();
    /** Immutable and thread-safe: made once, not for every document written. */
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private JsonCodec() {
    }

    /** The library's one mapper configuration; use it for anything that reads untrusted JSON. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses untrusted bytes into a tree, refusing anything that is not exactly one well-formed JSON value. */
    public static JsonNode parse(byte[] json) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                throw new MessageRejectedException(ProblemCode.MESSAGE_MALFORMED, "empty document");
            }
            return tree;
        } catch (StreamConstraintsException e) {
            // Jackson names the limit it hit: nesting is too_deep; a long string, number or name is value_too_long
            boolean nesting = e.getOriginalMessage() != null && e.getOriginalMessage().contains("nesting depth");
            throw new MessageRejectedException(nesting ? ProblemCode.MESSAGE_TOO_DEEP : ProblemCode.MESSAGE_VALUE_TOO_LONG,
                    (nesting ? "nests deeper than the parser allows" : "a value is longer than the parser allows") + at(e.getLocation()));
        } catch (JsonProcessingException e) {
            // Jackson's own text may quote the content: report the position only
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                throw new MessageRejectedException(ProblemCode.MESSAGE_DUPLICATE_KEY,
                        "an object has the same member twice" + at(e.getLocation()));
            }
            throw new MessageRejectedException(ProblemCode.MESSAGE_MALFORMED, "not well-formed JSON" + at(e.getLocation()));
        } catch (IOException e) {
            throw new MessageRejectedException(ProblemCode.MESSAGE_MALFORMED, "not well-formed JSON");
        }
    }

    /** Binds a schema-valid tree to the model; the signature member, if any, is left out. The tree is not changed. */
    public static Message bind(JsonNode tree) {
        ObjectNode content = MAPPER.createObjectNode(); // a shallow copy without the signature: binding only reads members
        content.setAll((ObjectNode) tree);
        content.remove(SIGNATURE_MEMBER);
        try {
            return MAPPER.treeToValue(content, Message.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new MessageRejectedException(ProblemCode.SCHEMA_INVALID, "cannot be bound to the model" + at(
                    e instanceof JsonProcessingException jpe ? jpe.getLocation() : null));
        }
    }

    public static ObjectNode toTree(Message message) {
        return MAPPER.valueToTree(message);
    }

    /** Pretty-printed UTF-8 JSON. */
    public static byte[] write(Message message) {
        return write(toTree(message));
    }

    public static byte[] write(JsonNode tree) {
        try {
            return PRETTY.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxStringLength(64 * 1024)
                        .maxNumberLength(20)
                        .maxNameLength(128)
                        .maxDocumentLength(16L * 1024 * 1024)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .serializationInclusion(JsonInclude.Include.NON_EMPTY)
                .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .addMixIn(Message.class, WithoutXmlSignature.class)
                .build();
    }

    /** The enveloped XML signature belongs to the XML form only. */
    private abstract static class WithoutXmlSignature {
        @JsonIgnore
        Element xmlSignature;
    }
}
