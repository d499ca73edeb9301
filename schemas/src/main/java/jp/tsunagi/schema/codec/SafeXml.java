package jp.tsunagi.schema.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.SAXParseException;

/**
 * The only way the library reads XML: namespace-aware, no DOCTYPE at all (which rules out XXE and entity
 * expansion such as billion laughs), no external access, no XInclude, bounded element depth.
 */
public final class SafeXml {
    /** Deeper than any valid message (the schema nests about 6 levels), shallow enough to stop stack abuse. */
    public static final int MAX_ELEMENT_DEPTH = 32;

    private SafeXml() {
    }

    public static Document parse(byte[] xml) {
        return parse(new ByteArrayInputStream(xml));
    }

    public static Document parse(InputStream xml) {
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(xml);
        } catch (SAXParseException e) {
            String why = e.getMessage() == null ? "" : e.getMessage();
            if (why.contains("DOCTYPE")) {
                throw new MessageRejectedException(ProblemCode.MESSAGE_DTD_FORBIDDEN, "DOCTYPE is not allowed");
            }
            if (why.contains("maxElementDepth") || why.contains("ElementDepth")) {
                throw new MessageRejectedException(ProblemCode.MESSAGE_TOO_DEEP,
                        "elements nest deeper than " + MAX_ELEMENT_DEPTH);
            }
            // the parser's own text may quote the content: report the position only
            throw new MessageRejectedException(ProblemCode.MESSAGE_MALFORMED,
                    "not well-formed XML at line " + e.getLineNumber() + ", column " + e.getColumnNumber());
        } catch (org.xml.sax.SAXException | IOException e) {
            throw new MessageRejectedException(ProblemCode.MESSAGE_MALFORMED, "not well-formed XML");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the XML parser cannot be made safe", e);
        }
    }

    public static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", String.valueOf(MAX_ELEMENT_DEPTH));
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    public static Document newDocument() {
        try {
            return factory().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serializes exactly as the tree is (no re-indentation), so a signature over it stays valid. */
    public static byte[] serialize(Node node) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(node), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialize XML", e);
        }
    }
}
