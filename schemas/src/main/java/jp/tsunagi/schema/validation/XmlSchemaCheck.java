package jp.tsunagi.schema.validation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import jp.tsunagi.schema.TsunagiSchema;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** Layer 2 for XML: the XSD itself, every error with the XPath of the element it was found in. */
final class XmlSchemaCheck {
    private static final String CURRENT_NODE = "http://apache.org/xml/properties/dom/current-element-node";
    private static final Schema SCHEMA = load();
    /** Validation stops after this many errors (the answer lists {@link MessageRejectedException#MAX_LISTED}). */
    static final int MAX_COLLECTED = 1000;

    private XmlSchemaCheck() {
    }

    static List<Problem> check(Document document) {
        Validator validator = SCHEMA.newValidator();
        try {
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXException e) {
            throw new IllegalStateException(e);
        }
        Set<Problem> problems = new LinkedHashSet<>();
        validator.setErrorHandler(new ErrorHandler() {
            @Override
            public void warning(SAXParseException e) {
            }

            @Override
            public void error(SAXParseException e) throws SAXException {
                problems.add(toProblem(e, currentNode(validator)));
                if (problems.size() >= MAX_COLLECTED) {
                    throw e; // enough to answer; the rest of a hostile document is not worth validating
                }
            }

            @Override
            public void fatalError(SAXParseException e) {
                problems.add(toProblem(e, currentNode(validator)));
            }
        });
        try {
            validator.validate(new DOMSource(document));
        } catch (SAXException | IOException e) {
            if (problems.isEmpty()) {
                problems.add(Problem.of(ProblemCode.SCHEMA_INVALID, "", "does not conform to the schema"));
            }
        }
        return new ArrayList<>(problems);
    }

    private static Node currentNode(Validator validator) {
        try {
            return (Node) validator.getProperty(CURRENT_NODE);
        } catch (SAXException e) {
            return null;
        }
    }

    /** Xerces quotes values in its messages: only its constraint key is used. */
    private static Problem toProblem(SAXParseException e, Node node) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String key = message.contains(":") ? message.substring(0, message.indexOf(':')) : "";
        String detail;
        if (key.startsWith("cvc-pattern") || key.startsWith("cvc-datatype") || key.startsWith("cvc-type")) {
            detail = "does not have the required form";
        } else if (key.startsWith("cvc-enumeration")) {
            detail = "is not one of the allowed codes";
        } else if (key.startsWith("cvc-minLength") || key.startsWith("cvc-maxLength")
                || key.startsWith("cvc-length") || key.startsWith("cvc-minInclusive") || key.startsWith("cvc-maxInclusive")) {
            detail = "has the wrong length or is out of range";
        } else if (key.startsWith("cvc-complex-type.2.4")) {
            detail = "has an unexpected or missing child element";
        } else if (key.startsWith("cvc-complex-type")) {
            detail = "has content its type does not allow";
        } else if (key.startsWith("cvc-elt")) {
            detail = "is not the element the schema expects";
        } else {
            detail = "does not conform to the schema";
        }
        return Problem.of(ProblemCode.SCHEMA_INVALID, xpath(node), detail + (key.isEmpty() ? "" : " [" + key + "]"));
    }

    static String xpath(Node node) {
        if (!(node instanceof Element element)) {
            return "";
        }
        StringBuilder path = new StringBuilder();
        for (Node n = element; n instanceof Element e; n = n.getParentNode()) {
            int index = 1;
            int total = 1;
            for (Node s = e.getPreviousSibling(); s != null; s = s.getPreviousSibling()) {
                if (sameName(s, e)) {
                    index++;
                    total++;
                }
            }
            for (Node s = e.getNextSibling(); s != null; s = s.getNextSibling()) {
                if (sameName(s, e)) {
                    total++;
                }
            }
            path.insert(0, "/" + e.getLocalName() + (total > 1 ? "[" + index + "]" : ""));
        }
        return path.toString();
    }

    private static boolean sameName(Node sibling, Element e) {
        return sibling instanceof Element s && s.getLocalName().equals(e.getLocalName());
    }

    private static Schema load() {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newSchema(new StreamSource(TsunagiSchema.resource(TsunagiSchema.XSD_RESOURCE)));
        } catch (SAXException e) {
            throw new IllegalStateException("the message XSD does not load", e);
        }
    }
}
