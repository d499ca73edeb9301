package jp.tsunagi.schema.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.Jcs;
import jp.tsunagi.schema.validation.ProblemCode;

/**
 * A JSON message parsed once: the tree as it was sent (signature member included) and the RFC 8785 canonical form of
 * the message without its signature member, the bytes a signature covers. Verifying the signature, validating the
 * content, hashing it and quoting it in a provenance all work on this one parse and this one canonical form.
 */
public final class SignedJson {
    private final ObjectNode tree;
    private byte[] canonicalContent;

    private SignedJson(ObjectNode tree) {
        this.tree = tree;
    }

    /**
     * Parses untrusted bytes with the library's strict parser ({@link JsonCodec#parse}).
     *
     * @throws jp.tsunagi.schema.validation.MessageRejectedException when they are not well-formed JSON (the parser's
     *                                                                code) or not a JSON object (signature.malformed)
     */
    public static SignedJson parse(byte[] json) {
        JsonNode node = JsonCodec.parse(json);
        if (!(node instanceof ObjectNode object)) {
            throw JsonSignatures.reject(ProblemCode.SIGNATURE_MALFORMED, "not a JSON object");
        }
        return new SignedJson(object);
    }

    /** The message as sent, with its signature member; not to be changed. */
    public ObjectNode tree() {
        return tree;
    }

    /** The signature member as sent, or null when there is none. */
    public JsonNode signature() {
        return tree.get(JsonCodec.SIGNATURE_MEMBER);
    }

    /** The RFC 8785 canonical form of the message without its signature member, computed once. */
    public byte[] canonicalContent() {
        if (canonicalContent == null) {
            ObjectNode content = tree.objectNode(); // a shallow copy: the members are shared, never changed
            content.setAll(tree);
            content.remove(JsonCodec.SIGNATURE_MEMBER);
            canonicalContent = Jcs.canonicalize(content);
        }
        return canonicalContent;
    }
}
