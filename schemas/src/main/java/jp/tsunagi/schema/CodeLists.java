package jp.tsunagi.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import jp.tsunagi.schema.codec.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Japanese labels of every code list (課題, 希望する支援, 情報の区分, …), read from the XSD, where each
 * enumeration value carries its label. Code and documentation thus show the same words the users use.
 */
public final class CodeLists {
    private static final String XS = "http://www.w3.org/2001/XMLSchema";
    private static final Map<String, Map<String, String>> LABELS = load();

    private CodeLists() {
    }

    /** The Japanese label of a code of any generated enumeration, e.g. 税の滞納 for TAX_ARREARS. */
    public static String label(Enum<?> code) {
        Map<String, String> list = LABELS.getOrDefault(code.getDeclaringClass().getSimpleName(), Map.of());
        return list.getOrDefault(code.name(), code.name());
    }

    /** Every code list by XSD type name, each code mapped to its Japanese label, in schema order. */
    public static Map<String, Map<String, String>> all() {
        return LABELS;
    }

    private static Map<String, Map<String, String>> load() {
        try (InputStream in = TsunagiSchema.resource(TsunagiSchema.XSD_RESOURCE)) {
            Document xsd = SafeXml.parse(in);
            Map<String, Map<String, String>> lists = new LinkedHashMap<>();
            NodeList types = xsd.getElementsByTagNameNS(XS, "simpleType");
            for (int i = 0; i < types.getLength(); i++) {
                Element type = (Element) types.item(i);
                NodeList values = type.getElementsByTagNameNS(XS, "enumeration");
                if (values.getLength() == 0) {
                    continue;
                }
                Map<String, String> labels = new LinkedHashMap<>();
                for (int j = 0; j < values.getLength(); j++) {
                    Element value = (Element) values.item(j);
                    NodeList docs = value.getElementsByTagNameNS(XS, "documentation");
                    labels.put(value.getAttribute("value"), docs.getLength() == 0 ? "" : docs.item(0).getTextContent().trim());
                }
                lists.put(type.getAttribute("name"), Collections.unmodifiableMap(labels));
            }
            return Collections.unmodifiableMap(lists);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
