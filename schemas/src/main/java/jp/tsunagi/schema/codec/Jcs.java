package jp.tsunagi.schema.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.erdtman.jcs.JsonCanonicalizer;
import org.erdtman.jcs.NumberToJSON;

/**
 * RFC 8785 JSON Canonicalization Scheme: the exact bytes a JSON signature covers. Written straight from the tree
 * (members sorted by UTF-16 code units, which is what {@link String#compareTo} does; strings escaped as ECMAScript's
 * JSON.stringify does; numbers as ECMAScript prints a double, by the reference library's {@link NumberToJSON}) rather
 * than by writing the tree and having the reference library parse the text again: every message is canonicalized
 * for its signature. A test holds it to the reference library's output.
 */
public final class Jcs {
    /** Integers up to this magnitude are exact doubles, printed as their digits. */
    private static final long EXACT_INTEGER = 1L << 53;

    private Jcs() {
    }

    public static byte[] canonicalize(JsonNode value) {
        StringBuilder out = new StringBuilder(4096);
        write(value, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                node.fieldNames().forEachRemaining(names::add);
                Collections.sort(names);
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    string(names.get(i), out);
                    out.append(':');
                    write(node.get(names.get(i)), out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (Iterator<JsonNode> elements = node.elements(); elements.hasNext(); ) {
                    write(elements.next(), out);
                    if (elements.hasNext()) {
                        out.append(',');
                    }
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> number(node, out);
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> out.append(viaText(node)); // binary or POJO values: as the written JSON says
        }
    }

    private static void number(JsonNode node, StringBuilder out) {
        if ((node.isInt() || node.isLong()) && Math.abs(node.longValue()) <= EXACT_INTEGER) {
            out.append(node.longValue());
            return;
        }
        try {
            // the double the written number denotes, as the reference library reads it; one too large for a double
            // is written by Jackson as the string "Infinity", and canonicalized as that string
            double value = Double.parseDouble(node.asText());
            if (Double.isFinite(value)) {
                out.append(NumberToJSON.serializeNumber(value));
            } else {
                string(Double.toString(value), out);
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("not canonicalizable JSON", e);
        }
    }

    /** A JSON string as RFC 8785 writes it: quoted, with only the escapes it requires (also the audit chain's form). */
    public static void string(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String viaText(JsonNode value) {
        try {
            return new JsonCanonicalizer(JsonCodec.mapper().writeValueAsString(value)).getEncodedString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not canonicalizable JSON", e);
        }
    }
}
