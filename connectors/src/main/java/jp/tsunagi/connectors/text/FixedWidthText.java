package jp.tsunagi.connectors.text;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record of a fixed-width file (固定長ファイル) in Windows-31J (the Shift_JIS family used by Japanese
 * municipal and tax systems), cut into fields by byte position.
 *
 * <p>Record layouts (レコードレイアウト) count bytes, not characters: kanji and full-width characters take two
 * bytes, ASCII and half-width katakana one. A layout error or a short record can put a field boundary in the
 * middle of a kanji; that is reported, never decoded into a wrong character.
 *
 * <p>Exceptions give byte positions and widths only, never field contents, which are usually personal data.
 */
public final class FixedWidthText {

    /** Microsoft's Shift_JIS (MS932/CP932), which includes the NEC and IBM extensions such as 髙 and ①. */
    public static final Charset WINDOWS_31J = Charset.forName("windows-31j");

    private static final char FULL_WIDTH_SPACE = '　';

    private final byte[] record;
    /** characterStarts[i] is true when a character starts at byte i; index record.length marks the end. */
    private final boolean[] characterStarts;

    private FixedWidthText(byte[] record) {
        this.record = record;
        this.characterStarts = new boolean[record.length + 1];
        // Walk from the first byte: a trail byte can look like a lead byte or like ASCII (ソ is 0x83 0x5C),
        // so a boundary cannot be recognised by looking at the bytes around it.
        int i = 0;
        while (i < record.length) {
            characterStarts[i] = true;
            i += isLeadByte(record[i]) ? 2 : 1;
        }
        if (i == record.length) {
            characterStarts[i] = true; // otherwise the last lead byte has no trail byte: the record is truncated
        }
    }

    /** Wraps the bytes of one record as read from the file, without its line terminator. */
    public static FixedWidthText of(byte[] record) {
        return new FixedWidthText(Objects.requireNonNull(record, "record").clone());
    }

    /** The record's length in bytes. */
    public int byteLength() {
        return record.length;
    }

    /**
     * Decodes the field at a 0-based byte offset (record layouts usually number positions from 1; subtract one)
     * and trims ASCII and full-width spaces from both ends.
     *
     * @throws IllegalArgumentException if the field runs past the record, starts or ends inside a double-byte
     *                                  character, or holds bytes that are not Windows-31J
     */
    public String field(int offset, int length) {
        if (offset < 0 || length < 0 || offset > record.length - length) {
            throw new IllegalArgumentException("field of " + length + " bytes at byte offset " + offset
                    + " does not fit in the " + record.length + "-byte record");
        }
        checkBoundary(offset);
        checkBoundary(offset + length);
        try {
            String decoded = WINDOWS_31J.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(record, offset, length))
                    .toString();
            return trimSpaces(decoded);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("field of " + length + " bytes at byte offset " + offset
                    + " holds bytes that are not valid Windows-31J");
        }
    }

    /**
     * Encodes a value in Windows-31J and pads it with ASCII spaces to exactly {@code width} bytes, left-aligned.
     * A value that is too wide is rejected, not truncated: a cut name would still look valid to the receiver.
     *
     * @throws IllegalArgumentException if the value is wider than the field or has a character Windows-31J lacks
     */
    public static byte[] pad(String value, int width) {
        if (width < 0) {
            throw new IllegalArgumentException("field width must not be negative");
        }
        byte[] encoded = encode(value);
        if (encoded.length > width) {
            throw new IllegalArgumentException("value is wider than the " + width + "-byte field");
        }
        byte[] padded = Arrays.copyOf(encoded, width);
        Arrays.fill(padded, encoded.length, width, (byte) ' ');
        return padded;
    }

    /** The number of bytes the value takes in Windows-31J, for checking it against a layout before writing. */
    public static int byteLength(String value) {
        return encode(value).length;
    }

    private static byte[] encode(String value) {
        Objects.requireNonNull(value, "value");
        try {
            // REPORT rather than the default '?' substitution, which would silently corrupt a name.
            ByteBuffer bytes = WINDOWS_31J.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            return Arrays.copyOfRange(bytes.array(), bytes.position(), bytes.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("value has a character that Windows-31J cannot encode");
        }
    }

    private void checkBoundary(int position) {
        if (!characterStarts[position]) {
            throw new IllegalArgumentException("byte offset " + position
                    + " falls inside a double-byte character; check the record layout and the record length");
        }
    }

    /** Lead bytes of Windows-31J double-byte characters, including the user-defined area 0xF0-0xF9 (外字). */
    private static boolean isLeadByte(byte b) {
        int u = b & 0xFF;
        return (u >= 0x81 && u <= 0x9F) || (u >= 0xE0 && u <= 0xFC);
    }

    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == FULL_WIDTH_SPACE;
    }
}
