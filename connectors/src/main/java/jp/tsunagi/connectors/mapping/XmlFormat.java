package jp.tsunagi.connectors.mapping;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import jp.tsunagi.schema.codec.SafeXml;
import jp.tsunagi.schema.validation.MessageRejectedException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An XML document in an agency's own vocabulary (独自XML), one document per record. {@code root} names the
 * document element; a field's {@code element} is a path below it: {@code 対象者/氏名/姓}, an attribute
 * {@code 対象者/@番号}, the second of repeated elements {@code 課題/コード[2]} (1-based, as in XPath). Elements are
 * matched by local name; {@code namespace} is used when writing. Parsed with the same hardened parser as messages
 * (no DOCTYPE, no external access, bounded depth).
 *
 * <p>Encoding: a document is read in the encoding its XML declaration names (UTF-8 without one), whatever the
 * mapping says, since XML describes itself; a document whose bytes the declared encoding cannot decode (typically
 * {@code encoding="Shift_JIS"} on Windows-31J bytes such as 髙 or ①, which the strict Shift_JIS decoder turns into
 * U+FFFD) is refused as {@code mapping.encoding}, never read with replacement characters. Documents are written in
 * the mapping's {@code encoding} (UTF-8 or Windows-31J) with a declaration naming it; a value the encoding cannot
 * hold fails the copy ({@code mapping.encoding}) rather than being written as a character reference the system may
 * not understand.
 */
final class XmlFormat extends NativeFormat {
    private static final Pattern STEP = Pattern.compile("(@?)([^/\\[\\]@]+)(?:\\[(\\d{1,3})])?");
    private final String root;
    private final String namespace;

    XmlFormat(String root, String namespace, Charset charset) {
        super(charset);
        this.root = root;
        this.namespace = namespace;
    }

    @Override
    boolean oneRecordPerDocument() {
        return true;
    }

    @Override
    String checkLocation(Location l) {
        if (root == null || root.isBlank()) {
            return "an XML mapping needs root (the name of the document element)";
        }
        if (l.element() == null || l.element().isBlank()) {
            return "an XML field needs element (a path below the root, e.g. 対象者/氏名/姓 or 対象者/@番号)";
        }
        if (l.column() != null || l.start() != null || l.length() != null || l.field() != null) {
            return "an XML field has element only (no column, start, length or field)";
        }
        String[] steps = l.element().split("/", -1);
        for (int i = 0; i < steps.length; i++) {
            Matcher m = STEP.matcher(steps[i]);
            if (!m.matches() || (!m.group(1).isEmpty() && (i < steps.length - 1 || m.group(3) != null))) {
                return "\"" + l.element() + "\" is not an element path (name/name[2]/@attribute)";
            }
        }
        return null;
    }

    @Override
    String describe(Location l) {
        return "element " + l.element();
    }

    /** Whether the document's root element is this mapping's root (how one endpoint tells documents apart). */
    boolean hasRoot(byte[] document) {
        try {
            return root.equals(SafeXml.parse(document).getDocumentElement().getLocalName());
        } catch (MessageRejectedException e) {
            return false;
        }
    }

    @Override
    NativeDocument read(byte[] document) {
        Document parsed;
        try {
            parsed = SafeXml.parse(document);
        } catch (MessageRejectedException e) {
            return NativeDocument.of(List.of(NativeRecord.unreadable(1, document, "mapping.malformed", e.getMessage())));
        }
        Element top = parsed.getDocumentElement();
        if (!root.equals(top.getLocalName())) {
            return NativeDocument.of(List.of(NativeRecord.unreadable(1, document, "mapping.malformed",
                    "the document element is not " + root)));
        }
        if (hasReplacementCharacter(top)) {
            return NativeDocument.of(List.of(NativeRecord.unreadable(1, document, "mapping.encoding", "the document has bytes that "
                    + (parsed.getXmlEncoding() == null ? "UTF-8" : parsed.getXmlEncoding())
                    + " (the encoding its XML declaration names) cannot decode")));
        }
        boolean shiftJis = isShiftJis(parsed.getXmlEncoding());
        return NativeDocument.of(List.of(new NativeRecord(1, document, null, l -> shiftJis ? asWindows31J(find(top, l.element())) : find(top, l.element()))));
    }

    private static boolean isShiftJis(String declared) {
        return declared != null && List.of("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis")
                .contains(declared.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * A document declared Shift_JIS comes from a Windows system that wrote Windows-31J: the JDK's Shift_JIS decoder
     * gives the JIS meaning of a few of its bytes (0x817C as U+2212 MINUS SIGN instead of U+FF0D, 2－3 in an
     * address), which no Windows-31J system can be sent back. The same bytes, as Windows-31J reads them.
     */
    static String asWindows31J(String value) {
        if (value == null) {
            return null;
        }
        return value.replace('\u2212', '\uFF0D').replace('\u301C', '\uFF5E').replace('\u2016', '\u2225')
                .replace('\u00A2', '\uFFE0').replace('\u00A3', '\uFFE1').replace('\u00AC', '\uFFE2');
    }

    private static boolean hasReplacementCharacter(Node node) {
        if (node.getNodeValue() != null && node.getNodeValue().indexOf('\uFFFD') >= 0) {
            return true;
        }
        if (node instanceof Element e) {
            for (int i = 0; i < e.getAttributes().getLength(); i++) {
                if (e.getAttributes().item(i).getNodeValue().indexOf('\uFFFD') >= 0) {
                    return true;
                }
            }
        }
        for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (hasReplacementCharacter(c)) {
                return true;
            }
        }
        return false;
    }

    private String find(Element top, String path) {
        Node node = top;
        for (String step : path.split("/")) {
            Matcher m = STEP.matcher(step);
            m.matches();
            if (!m.group(1).isEmpty()) {
                Element element = (Element) node;
                return element.hasAttribute(m.group(2)) ? element.getAttribute(m.group(2)) : null;
            }
            node = child((Element) node, m.group(2), m.group(3) == null ? 1 : Integer.parseInt(m.group(3)), null);
            if (node == null) {
                return null;
            }
        }
        return node.getTextContent();
    }

    /** The n-th (1-based) child element of that local name; with a document to create in, missing ones are added. */
    private Element child(Element parent, String name, int n, Document create) {
        int seen = 0;
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && name.equals(e.getLocalName()) && ++seen == n) {
                return e;
            }
        }
        if (create == null) {
            return null;
        }
        Element added = null;
        for (; seen < n; seen++) {
            added = create.createElementNS(namespace, name);
            parent.appendChild(added);
        }
        return added;
    }

    @Override
    byte[] write(List<Location> layout, List<Map<Location, String>> records) {
        if (records.size() != 1) {
            throw new IllegalArgumentException("an XML document holds one record");
        }
        CharsetEncoder encoder = charset.newEncoder();
        for (String value : records.get(0).values()) {
            if (!encoder.canEncode(value)) {
                throw new IllegalArgumentException("a value has a character that " + charset.name() + " cannot write");
            }
        }
        Document document = SafeXml.newDocument();
        Element top = document.createElementNS(namespace, root);
        document.appendChild(top);
        for (Location l : layout) {
            String value = records.get(0).get(l);
            if (value == null) {
                continue;
            }
            Element node = top;
            String[] steps = l.element().split("/");
            for (String step : steps) {
                Matcher m = STEP.matcher(step);
                m.matches();
                if (!m.group(1).isEmpty()) {
                    node.setAttribute(m.group(2), value);
                    node = null;
                    break;
                }
                node = child(node, m.group(2), m.group(3) == null ? 1 : Integer.parseInt(m.group(3)), document);
            }
            if (node != null) {
                node.setTextContent(value);
            }
        }
        return serialize(document, charset);
    }

    private static byte[] serialize(Document document, Charset charset) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Transformer t = factory.newTransformer();
            // the declaration names the encoding as IANA registers it: UTF-8, Windows-31J
            t.setOutputProperty(OutputKeys.ENCODING, charset.name().equalsIgnoreCase("windows-31j") ? "Windows-31J" : charset.name());
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write XML", e);
        }
    }

    @Override
    String mediaType() {
        return "application/xml";
    }

    @Override
    String fileExtension() {
        return "xml";
    }
}
