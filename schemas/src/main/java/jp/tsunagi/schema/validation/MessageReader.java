package jp.tsunagi.schema.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.Message;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Reads an untrusted message through every layer, in order: size, well-formedness (safe parsers), schema major
 * version, schema (JSON Schema or XSD), then the model rules. A layer that fails stops the next one, and reports
 * every error it found, each with a path and a stable code. Signatures are checked separately (signature package),
 * since the content is validated whether or not it is signed.
 */
public final class MessageReader {
    /** The default size limit of the contract (docs/contract.md section 3): 1 MiB. */
    public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

    private final int maxBytes;
    private final ModelRules modelRules;

    public MessageReader(int maxBytes, Clock clock) {
        this.maxBytes = maxBytes;
        this.modelRules = new ModelRules(clock);
    }

    public MessageReader() {
        this(DEFAULT_MAX_BYTES, Clock.systemDefaultZone());
    }

    /** A valid message, or a {@link MessageRejectedException} listing why not. */
    public Message read(byte[] document) {
        checkSize(document);
        return MessageFormat.detect(document) == MessageFormat.JSON ? readJson(document) : readXml(document);
    }

    public Message readJson(byte[] document) {
        checkSize(document);
        return readJson(document, JsonCodec.parse(document));
    }

    /**
     * The same for a document the caller parsed already with {@link JsonCodec#parse} ({@code tree} is that parse, left
     * unchanged): the layers after well-formedness run on it, so the body is parsed once.
     */
    public Message readJson(byte[] document, JsonNode tree) {
        checkSize(document);
        if (!tree.isObject()) {
            throw new MessageRejectedException(ProblemCode.SCHEMA_INVALID, "a message is a JSON object");
        }
        checkMajorVersion(tree.path("schemaVersion").asText(null));
        throwIfAny(JsonSchemaCheck.check(tree));
        return checked(JsonCodec.bind(tree));
    }

    public Message readXml(byte[] document) {
        checkSize(document);
        Document dom = XmlCodec.parse(document);
        Element root = dom.getDocumentElement();
        String namespace = root.getNamespaceURI() == null ? "" : root.getNamespaceURI();
        if (namespace.startsWith("urn:tsunagi:message:") && !namespace.equals(TsunagiSchema.NAMESPACE)) {
            throw new MessageRejectedException(ProblemCode.SCHEMA_VERSION_UNSUPPORTED,
                    "this library reads major version " + TsunagiSchema.MAJOR_VERSION + " (" + TsunagiSchema.NAMESPACE + ")");
        }
        checkMajorVersion(childText(root, "schemaVersion"));
        throwIfAny(XmlSchemaCheck.check(dom));
        return checked(XmlCodec.bind(dom));
    }

    /** Layers 3 and 4 alone, for a model built in code. */
    public List<Problem> check(Message message) {
        return modelRules.check(message);
    }

    private Message checked(Message message) {
        throwIfAny(modelRules.check(message));
        return message;
    }

    private void checkSize(byte[] document) {
        if (document.length > maxBytes) {
            throw new MessageRejectedException(ProblemCode.MESSAGE_TOO_LARGE,
                    "larger than the limit of " + maxBytes + " bytes");
        }
    }

    /** Missing or malformed versions are left to the schema, which names the field. */
    private static void checkMajorVersion(String schemaVersion) {
        int major = TsunagiSchema.majorVersion(schemaVersion);
        if (major >= 0 && major != TsunagiSchema.MAJOR_VERSION) {
            throw new MessageRejectedException(Problem.of(ProblemCode.SCHEMA_VERSION_UNSUPPORTED, "/schemaVersion",
                    "major version " + major + " is not supported; this library reads " + TsunagiSchema.MAJOR_VERSION + ".x"));
        }
    }

    private static String childText(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    private static void throwIfAny(List<Problem> problems) {
        if (!problems.isEmpty()) {
            throw new MessageRejectedException(problems);
        }
    }
}
