package jp.tsunagi.schema.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jp.tsunagi.schema.codec.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Derives the JSON Schema (2020-12) from the message XSD at build time, so the XSD stays the single source.
 *
 * <p>It understands the subset of XSD the message schema uses, and fails the build on anything else rather than
 * guess: named complex types made of sequences, choices and elements; named simple types restricting a built-in
 * with pattern, length, range and enumeration facets; one {@code xs:any} for the enveloped XML signature, whose JSON
 * counterpart is the {@code signature} member holding a detached JWS. A repeated element becomes an array named
 * by its {@code jaxb:property} customization, exactly as xjc names the Java property, so Jackson and the schema agree.
 */
public final class XsdToJsonSchema {
    static final String XS = "http://www.w3.org/2001/XMLSchema";
    static final String JAXB = "https://jakarta.ee/xml/ns/jaxb";
    static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    public static final String SCHEMA_ID = "https://tsunagi.jp/schemas/tsunagi-message-1.schema.json";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final Map<String, Element> complexTypes = new LinkedHashMap<>();
    private final Map<String, Element> simpleTypes = new LinkedHashMap<>();
    private final Element schema;

    private XsdToJsonSchema(Document xsd) {
        this.schema = xsd.getDocumentElement();
        for (Element child : children(schema)) {
            String name = child.getAttribute("name");
            switch (child.getLocalName()) {
                case "complexType" -> complexTypes.put(name, child);
                case "simpleType" -> simpleTypes.put(name, child);
                case "element" -> { /* the root, handled in convert() */ }
                default -> throw unsupported(child);
            }
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: XsdToJsonSchema <xsd> <out.json>");
        }
        Path out = Path.of(args[1]);
        Files.createDirectories(out.getParent());
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            Files.write(out, toJson(convert(in)));
        }
    }

    public static byte[] toJson(ObjectNode schema) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(schema);
    }

    public static ObjectNode convert(InputStream xsd) {
        return new XsdToJsonSchema(SafeXml.parse(xsd)).convert();
    }

    private ObjectNode convert() {
        Element root = children(schema).stream().filter(e -> e.getLocalName().equals("element")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the XSD has no root element"));
        ObjectNode result = JSON.objectNode();
        result.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        result.put("$id", SCHEMA_ID);
        result.put("title", "Tsunagi message " + schema.getAttribute("version"));
        ObjectNode body = complexType(child(root, "complexType"));
        describe(root, result);
        result.setAll(body);
        result.set("allOf", messageTypeMatchesBody(body));
        ObjectNode defs = result.putObject("$defs");
        complexTypes.forEach((name, type) -> defs.set(name, complexType(type)));
        simpleTypes.forEach((name, type) -> defs.set(name, simpleType(type)));
        return result;
    }

    /** messageType REFERRAL requires the member "referral", STATUS_UPDATE "statusUpdate", and so on. */
    private ArrayNode messageTypeMatchesBody(ObjectNode envelope) {
        ArrayNode rules = JSON.arrayNode();
        for (String type : enumValues(simpleTypes.get("MessageType"))) {
            String member = lowerCamel(type);
            if (!envelope.path("properties").has(member)) {
                throw new IllegalStateException("no body element " + member + " for message type " + type);
            }
            ObjectNode rule = rules.addObject();
            rule.putObject("if").putObject("properties").putObject("messageType").put("const", type);
            rule.putObject("then").putArray("required").add(member);
        }
        return rules;
    }

    private ObjectNode complexType(Element type) {
        ObjectNode node = JSON.objectNode();
        describe(type, node);
        node.put("type", "object");
        ObjectNode properties = node.putObject("properties");
        ArrayNode required = JSON.arrayNode();
        ArrayNode oneOf = JSON.arrayNode();
        for (Element particle : children(type)) {
            switch (particle.getLocalName()) {
                case "annotation" -> { }
                case "sequence" -> sequence(particle, properties, required, oneOf);
                case "choice" -> choice(particle, properties, oneOf);
                default -> throw unsupported(particle);
            }
        }
        if (!required.isEmpty()) {
            node.set("required", required);
        }
        if (!oneOf.isEmpty()) {
            node.set("oneOf", oneOf);
        }
        node.put("additionalProperties", false);
        return node;
    }

    private void sequence(Element sequence, ObjectNode properties, ArrayNode required, ArrayNode oneOf) {
        for (Element particle : children(sequence)) {
            switch (particle.getLocalName()) {
                case "element" -> {
                    String name = element(particle, properties);
                    if (minOccurs(particle) > 0) {
                        required.add(name);
                    }
                }
                case "choice" -> choice(particle, properties, oneOf);
                case "any" -> signature(particle, properties);
                default -> throw unsupported(particle);
            }
        }
    }

    /** Exactly one alternative must be present. */
    private void choice(Element choice, ObjectNode properties, ArrayNode oneOf) {
        for (Element alternative : children(choice)) {
            if (!alternative.getLocalName().equals("element")) {
                throw unsupported(alternative);
            }
            oneOf.addObject().putArray("required").add(element(alternative, properties));
        }
    }

    private void signature(Element any, ObjectNode properties) {
        if (!DSIG.equals(any.getAttribute("namespace"))) {
            throw unsupported(any);
        }
        ObjectNode signature = properties.putObject("signature");
        signature.put("description", "Detached JWS (RFC 7515 appendix F) over the RFC 8785 canonical form of the "
                + "message without this member; in XML the enveloped ds:Signature takes its place.");
        signature.put("type", "string");
        signature.put("pattern", "^[A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+$");
    }

    /** Adds the element as a property and returns the JSON member name. */
    private String element(Element element, ObjectNode properties) {
        String name = element.getAttribute("name");
        ObjectNode schemaOfType = typeReference(element.getAttribute("type"));
        String maxOccurs = element.getAttribute("maxOccurs");
        boolean repeated = !maxOccurs.isEmpty() && !maxOccurs.equals("1");
        if (!repeated) {
            describe(element, schemaOfType);
            properties.set(name, schemaOfType);
            return name;
        }
        String member = jaxbPropertyName(element);
        ObjectNode array = properties.putObject(member);
        describe(element, array);
        array.put("type", "array");
        array.set("items", schemaOfType);
        int min = minOccurs(element);
        array.put("minItems", Math.max(min, 1)); // absent rather than empty: the codecs omit empty lists
        if (!maxOccurs.equals("unbounded")) {
            array.put("maxItems", Integer.parseInt(maxOccurs));
        }
        String local = element.getAttribute("type").substring(element.getAttribute("type").indexOf(':') + 1);
        if (simpleTypes.containsKey(local) && !enumValues(simpleTypes.get(local)).isEmpty()) {
            array.put("uniqueItems", true); // a code list names each code once (ModelRules says so for XML)
        }
        return member;
    }

    private String jaxbPropertyName(Element element) {
        for (Element annotation : childrenNamed(element, "annotation")) {
            for (Element appinfo : childrenNamed(annotation, "appinfo")) {
                for (Node n = appinfo.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e && JAXB.equals(e.getNamespaceURI()) && e.getLocalName().equals("property")) {
                        return e.getAttribute("name");
                    }
                }
            }
        }
        throw new IllegalStateException("repeated element '" + element.getAttribute("name")
                + "' needs a jaxb:property name (its plural), the JSON array name");
    }

    private ObjectNode typeReference(String qname) {
        String local = qname.substring(qname.indexOf(':') + 1);
        if (qname.startsWith("xs:")) {
            return builtin(local);
        }
        if (!complexTypes.containsKey(local) && !simpleTypes.containsKey(local)) {
            throw new IllegalStateException("unknown type " + qname);
        }
        ObjectNode ref = JSON.objectNode();
        ref.put("$ref", "#/$defs/" + local);
        return ref;
    }

    private ObjectNode simpleType(Element type) {
        Element restriction = child(type, "restriction");
        ObjectNode node = builtin(restriction.getAttribute("base").substring(3));
        describe(type, node);
        List<String> labels = new ArrayList<>();
        ArrayNode values = JSON.arrayNode();
        for (Element facet : children(restriction)) {
            String value = facet.getAttribute("value");
            switch (facet.getLocalName()) {
                case "pattern" -> node.put("pattern", "^(?:" + value + ")$");
                case "minLength" -> node.put("minLength", Integer.parseInt(value));
                case "maxLength" -> node.put("maxLength", Integer.parseInt(value));
                case "minInclusive" -> node.put("minimum", Long.parseLong(value));
                case "maxInclusive" -> node.put("maximum", Long.parseLong(value));
                case "enumeration" -> {
                    values.add(value);
                    labels.add(value + " = " + japanese(facet));
                }
                default -> throw unsupported(facet);
            }
        }
        if (!values.isEmpty()) {
            node.set("enum", values);
            String heading = node.has("description") ? node.get("description").asText() + "\n" : "";
            node.put("description", heading + String.join("\n", labels));
        }
        return node;
    }

    private static ObjectNode builtin(String xsType) {
        ObjectNode node = JSON.objectNode();
        switch (xsType) {
            case "string" -> node.put("type", "string");
            case "boolean" -> node.put("type", "boolean");
            case "int", "long" -> node.put("type", "integer");
            case "date" -> {
                node.put("type", "string");
                node.put("format", "date");
                node.put("pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
            }
            case "dateTime" -> {
                node.put("type", "string");
                node.put("format", "date-time");
            }
            default -> throw new IllegalStateException("unsupported built-in type xs:" + xsType);
        }
        return node;
    }

    private static List<String> enumValues(Element simpleType) {
        return childrenNamed(child(simpleType, "restriction"), "enumeration").stream()
                .map(e -> e.getAttribute("value")).toList();
    }

    /** Japanese label first (the users' word), English after it. */
    private static void describe(Element xsdNode, ObjectNode target) {
        String ja = japanese(xsdNode);
        String en = documentation(xsdNode, "en");
        String text = ja.isEmpty() ? en : en.isEmpty() ? ja : ja + " / " + en;
        if (!text.isEmpty()) {
            target.put("description", text);
        }
    }

    private static String japanese(Element xsdNode) {
        return documentation(xsdNode, "ja");
    }

    private static String documentation(Element xsdNode, String lang) {
        for (Element annotation : childrenNamed(xsdNode, "annotation")) {
            for (Element doc : childrenNamed(annotation, "documentation")) {
                if (lang.equals(doc.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"))) {
                    return doc.getTextContent().trim();
                }
            }
        }
        return "";
    }

    private static int minOccurs(Element element) {
        String min = element.getAttribute("minOccurs");
        return min.isEmpty() ? 1 : Integer.parseInt(min);
    }

    static String lowerCamel(String upperSnake) {
        StringBuilder out = new StringBuilder();
        for (String part : upperSnake.toLowerCase(Locale.ROOT).split("_")) {
            out.append(out.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return out.toString();
    }

    private static Element child(Element parent, String localName) {
        List<Element> found = childrenNamed(parent, localName);
        if (found.size() != 1) {
            throw new IllegalStateException("expected one xs:" + localName + " in " + parent.getAttribute("name"));
        }
        return found.get(0);
    }

    private static List<Element> childrenNamed(Element parent, String localName) {
        return children(parent).stream().filter(e -> e.getLocalName().equals(localName)).toList();
    }

    /** The XSD-namespace child elements. */
    private static List<Element> children(Element parent) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && XS.equals(e.getNamespaceURI())) {
                result.add(e);
            }
        }
        return result;
    }

    private static IllegalStateException unsupported(Element e) {
        return new IllegalStateException("XsdToJsonSchema does not support xs:" + e.getLocalName()
                + " (in " + e.getAttribute("name") + "); extend it before using this construct");
    }
}
