package jp.tsunagi.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * RFC 8785 (JCS) canonical JSON of a flat object whose values are strings, integers (below 2^53) or null: members
 * sorted by UTF-16 code units (what {@link String#compareTo} does), strings escaped as ECMAScript's JSON.stringify
 * does. Written by hand rather than through {@code Jcs.canonicalize}, which serializes and re-parses the JSON: the
 * verifier canonicalizes every entry of the trail, millions of them. A test checks it against the library.
 */
final class CanonicalJson {
    private CanonicalJson() {
    }

    static byte[] of(Map<String, ?> members) {
        StringBuilder out = new StringBuilder(512).append('{');
        boolean first = true;
        for (Map.Entry<String, ?> member : new TreeMap<>(members).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, member.getKey());
            out.append(':');
            Object value = member.getValue();
            if (value == null) {
                out.append("null");
            } else if (value instanceof Long || value instanceof Integer) {
                long number = ((Number) value).longValue();
                if (Math.abs(number) > (1L << 53)) {
                    throw new IllegalArgumentException("integers above 2^53 have no exact canonical form");
                }
                out.append(number);
            } else {
                string(out, value.toString());
            }
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void string(StringBuilder out, String value) {
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
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
