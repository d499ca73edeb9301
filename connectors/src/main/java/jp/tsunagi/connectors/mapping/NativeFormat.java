package jp.tsunagi.connectors.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A native file or document format of an agency system: how a document splits into records, how a field is found
 * in a record, and how records are written back. One subclass per {@link Kind}.
 */
abstract class NativeFormat {
    enum Kind {
        @JsonProperty("csv") CSV,
        @JsonProperty("fixed-width") FIXED_WIDTH,
        @JsonProperty("xml") XML,
        @JsonProperty("json") JSON
    }

    /** Where a field is in a native record; which members are used depends on the format. */
    record Location(String column, Integer start, Integer length, String element, String field,
                    MappingFile.Align align, String pad, boolean truncate) {
    }

    /**
     * One record as read: its number, raw bytes, and either a problem (the record could not be read at all) or the
     * function finding a field's text (null when the record does not have it).
     */
    record NativeRecord(int number, byte[] raw, RecordProblem problem, Function<Location, String> fields) {
        static NativeRecord unreadable(int number, byte[] raw, String code, String reason) {
            return new NativeRecord(number, raw, new RecordProblem(code, reason), null);
        }
    }

    /**
     * A native document as read: its records, and a problem of the document as a whole (a CSV header that lacks a
     * mapped column) that refuses every record, or null.
     */
    record NativeDocument(RecordProblem problem, List<NativeRecord> records) {
        static NativeDocument of(List<NativeRecord> records) {
            return new NativeDocument(null, records);
        }
    }

    final Charset charset;

    NativeFormat(Charset charset) {
        this.charset = charset;
    }

    static NativeFormat of(MappingFile file, Charset charset, CsvFormat.HeaderRule headerRule) {
        return switch (file.format()) {
            case CSV -> new CsvFormat(charset, file.header() == null || file.header(), headerRule);
            case FIXED_WIDTH -> new FixedWidthFormat(charset, file.recordLength() == null ? 0 : file.recordLength(),
                    file.lineSeparator());
            case XML -> new XmlFormat(file.root(), file.namespace(), charset);
            case JSON -> new JsonFormat();
        };
    }

    /** Why the format cannot use this location (missing or conflicting keys), or null when it can. */
    abstract String checkLocation(Location location);

    /** How the location reads in a reason: "column 氏名", "bytes 41-50", "element 対象者/氏名". Never a value. */
    abstract String describe(Location location);

    abstract NativeDocument read(byte[] document);

    /**
     * Writes records, each a map from location to text (absent values are not in the map), in the order of the
     * layout (all locations of the mapping).
     */
    abstract byte[] write(List<Location> layout, List<Map<Location, String>> records);

    /** Whether one record fills a whole document (XML, JSON) rather than one line of a batch file. */
    boolean oneRecordPerDocument() {
        return false;
    }

    abstract String mediaType();

    abstract String fileExtension();

    /** Decodes strictly: bytes that are not the declared encoding are an error, not replacement characters. */
    String decode(byte[] bytes, int offset, int length) throws CharacterCodingException {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
    }

    /** Encodes strictly: a character the encoding lacks is an error, never a silent '?'. */
    byte[] encode(String text) {
        try {
            ByteBuffer buffer = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(java.nio.CharBuffer.wrap(text));
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a value has a character that " + charset.name() + " cannot write");
        }
    }

    /** Splits a batch file into lines on LF (with or without CR); a final empty line is not a record. */
    static List<byte[]> lines(byte[] document) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= document.length; i++) {
            if (i == document.length || document[i] == '\n') {
                int end = i > start && document[i - 1] == '\r' ? i - 1 : i;
                if (i < document.length || end > start) {
                    byte[] line = new byte[end - start];
                    System.arraycopy(document, start, line, 0, line.length);
                    lines.add(line);
                }
                start = i + 1;
            }
        }
        return lines;
    }
}
