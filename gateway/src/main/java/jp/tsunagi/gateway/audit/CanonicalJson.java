package jp.tsunagi.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import jp.tsunagi.schema.codec.Jcs;

/**
 * RFC 8785 (JCS) canonical JSON of a flat object whose values are strings, integers (below 2^53) or null: members
 * sorted by UTF-16 code units (what {@link String#compareTo} does), strings escaped as ECMAScript's JSON.stringify
 * does (with {@link Jcs#string}). Written by hand rather than through {@code Jcs.canonicalize}, which serializes and re-parses the JSON: the
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
            Jcs.string(member.getKey(), out);
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
                Jcs.string(value.toString(), out);
            }
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The same bytes as {@link #of}, written member by member into a buffer reused from one object to the next, for
     * objects of a known shape: the caller gives the members in their canonical (sorted) order. The verifier hashes
     * millions of entries this way without a map, a string or a byte array for each.
     */
    static final class Writer {
        private byte[] bytes = new byte[512];
        private char[] chars = new char[128];
        private int length;
        private boolean first;

        /** Starts over, with {@code prefix} (ASCII) before the object: the chain hashes prevHash first. */
        Writer begin(String prefix) {
            length = 0;
            raw(prefix);
            put('{');
            first = true;
            return this;
        }

        Writer member(String name, String value) {
            name(name);
            if (value == null) {
                raw("null");
            } else {
                string(value);
            }
            return this;
        }

        Writer member(String name, long value) {
            name(name);
            if (Math.abs(value) > (1L << 53)) {
                throw new IllegalArgumentException("integers above 2^53 have no exact canonical form");
            }
            if (value < 0) {
                put('-');
                value = -value;
            }
            int digits = 1;
            for (long v = value; v >= 10; v /= 10) {
                digits++;
            }
            ensure(digits);
            for (int i = length + digits - 1; i >= length; i--, value /= 10) {
                bytes[i] = (byte) ('0' + value % 10);
            }
            length += digits;
            return this;
        }

        Writer end() {
            put('}');
            return this;
        }

        byte[] bytes() {
            return bytes;
        }

        int length() {
            return length;
        }

        private void name(String name) {
            if (!first) {
                put(',');
            }
            first = false;
            string(name);
            put(':');
        }

        /** A string as {@link CanonicalJson#string} escapes it, then in UTF-8; printable ASCII copied as is. */
        private void string(String value) {
            int n = value.length();
            if (chars.length < n) {
                chars = new char[Math.max(n, 2 * chars.length)];
            }
            value.getChars(0, n, chars, 0);
            ensure(n + 2);
            byte[] out = bytes;
            char[] in = chars;
            int at = length;
            out[at++] = '"';
            for (int i = 0; i < n; i++) {
                char c = in[i];
                if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                    StringBuilder escaped = new StringBuilder(n + 16); // escapes or UTF-8: the general way
                    Jcs.string(value, escaped);
                    raw(escaped.toString());
                    return;
                }
                out[at++] = (byte) c;
            }
            out[at++] = '"';
            length = at;
        }

        /** Text in UTF-8 (as String.getBytes does). */
        private void raw(String text) {
            ensure(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= 0x80) {
                    byte[] utf8 = text.substring(i).getBytes(StandardCharsets.UTF_8);
                    ensure(utf8.length);
                    System.arraycopy(utf8, 0, bytes, length, utf8.length);
                    length += utf8.length;
                    return;
                }
                bytes[length++] = (byte) c;
            }
        }

        private void put(char c) {
            ensure(1);
            bytes[length++] = (byte) c;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }
}
