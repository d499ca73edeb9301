package jp.tsunagi.connectors.mapping;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV (RFC 4180: commas, double quotes, "" inside quotes, line breaks inside quotes, as Excel and vendor systems write
 * free text) in the declared encoding, usually with a header row naming the columns ({@code header: true}, the
 * default). A column is named by its header text or by its 1-based number. Cells are read by Apache Commons CSV;
 * records are cut first at the line breaks outside quotes, on the bytes, so that a record whose bytes are not the
 * encoding is rejected alone and keeps its exact bytes (what makes a re-delivered record recognisable): a quote, a
 * comma and a line break are never part of a double-byte character in UTF-8 or Windows-31J. A quote left open to the
 * end of the file rejects its own line only. Written with CRLF and a header row.
 *
 * <p>The header is checked before any record is read ({@code mapping.header_mismatch}, the whole file refused): it
 * must have every mapped column except those of {@code optionalColumns}; with {@code strict: true} it may have no
 * column the mapping neither reads nor lists under {@code ignoredColumns}. A renamed column thus never silently
 * empties a field.
 */
final class CsvFormat extends NativeFormat {
    private static final CSVFormat RFC_4180 = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();

    /** What a header must have: the mapped columns, those of them that may be absent, and (strict) what else it may have. */
    record HeaderRule(Set<String> mapped, Set<String> optional, Set<String> ignored, boolean strict) {
        static final HeaderRule NONE = new HeaderRule(Set.of(), Set.of(), Set.of(), false);
    }

    private final boolean header;
    private final HeaderRule rule;

    CsvFormat(Charset charset, boolean header, HeaderRule rule) {
        super(charset);
        this.header = header;
        this.rule = rule == null ? HeaderRule.NONE : rule;
    }

    /** Whether the encoding writes quote, comma, CR and LF as their single ASCII bytes (records are cut on them). */
    static boolean cutsOnBytes(Charset charset) {
        return charset.newEncoder().canEncode("\",\r\n")
                && Arrays.equals("\",\r\n".getBytes(charset), new byte[] {'"', ',', '\r', '\n'});
    }

    @Override
    String checkLocation(Location l) {
        if (l.column() == null || l.column().isBlank()) {
            return "a CSV field needs column (the header name, or the 1-based column number)";
        }
        if (l.start() != null || l.length() != null || l.element() != null || l.field() != null) {
            return "a CSV field has column only (no start, length, element or field)";
        }
        if (!header && !l.column().matches("\\d{1,3}")) {
            return "without a header row, column is a 1-based number";
        }
        return null;
    }

    @Override
    String describe(Location l) {
        return "column " + l.column();
    }

    @Override
    NativeDocument read(byte[] document) {
        List<byte[]> records = records(document);
        List<NativeRecord> out = new ArrayList<>();
        List<String> names = List.of();
        RecordProblem headerProblem = null;
        int first = 0;
        if (header) {
            if (records.isEmpty()) {
                return NativeDocument.of(out);
            }
            try {
                names = cells(stripBom(decode(records.get(0), 0, records.get(0).length)));
            } catch (CharacterCodingException | IllegalArgumentException e) {
                return new NativeDocument(new RecordProblem("mapping.malformed", "the header row cannot be read"), out);
            }
            headerProblem = checkHeader(names);
            first = 1;
        }
        for (int i = first; i < records.size(); i++) {
            int number = i - first + 1;
            byte[] raw = records.get(i);
            List<String> cells;
            try {
                cells = cells(decode(raw, 0, raw.length));
            } catch (CharacterCodingException e) {
                out.add(NativeRecord.unreadable(number, raw, "mapping.encoding", "the record is not valid " + charset.name()));
                continue;
            } catch (IllegalArgumentException e) {
                out.add(NativeRecord.unreadable(number, raw, "mapping.malformed", e.getMessage()));
                continue;
            }
            if (header && cells.size() != names.size()) {
                out.add(NativeRecord.unreadable(number, raw, "mapping.malformed",
                        "the record has " + cells.size() + " columns, the header " + names.size()));
                continue;
            }
            List<String> headerNames = names;
            out.add(new NativeRecord(number, raw, null, l -> {
                int index = l.column().matches("\\d{1,3}") && !headerNames.contains(l.column())
                        ? Integer.parseInt(l.column()) - 1 : headerNames.indexOf(l.column());
                return index >= 0 && index < cells.size() ? cells.get(index) : null;
            }));
        }
        return new NativeDocument(headerProblem, out);
    }

    /** The mapped columns the header lacks and, when strict, the columns it has that the mapping does not know. */
    private RecordProblem checkHeader(List<String> names) {
        if (!rule.mapped().isEmpty() && names.stream().noneMatch(rule.mapped()::contains)
                && rule.mapped().stream().anyMatch(column -> !column.matches("\\d{1,3}"))) {
            // not a header at all (a file without its header row): its cells may be a person's data, never repeated
            return new RecordProblem("mapping.header_mismatch", "the first line has none of the mapped columns: a file "
                    + "without its header row, or of another layout (no record was read)");
        }
        Set<String> missing = new LinkedHashSet<>(rule.mapped());
        missing.removeAll(rule.optional());
        missing.removeAll(names);
        missing.removeIf(column -> column.matches("\\d{1,3}")); // a column number is a position, not a name
        Set<String> unknown = new LinkedHashSet<>();
        if (rule.strict()) {
            unknown.addAll(names);
            unknown.removeAll(rule.mapped());
            unknown.removeAll(rule.ignored());
        }
        if (missing.isEmpty() && unknown.isEmpty()) {
            return null;
        }
        List<String> why = new ArrayList<>();
        if (!missing.isEmpty()) {
            why.add("the header lacks the mapped column(s) " + String.join(", ", missing));
        }
        if (!unknown.isEmpty()) {
            why.add("the header has column(s) the mapping does not know: " + String.join(", ", unknown));
        }
        return new RecordProblem("mapping.header_mismatch", String.join("; ", why) + " (no record was read)");
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    /**
     * The records of a file, cut at each LF (with or without CR) outside quotes; a final empty line is not a record.
     * A quote still open at the end of the file is taken to end at its own line, which is then refused on its own.
     */
    static List<byte[]> records(byte[] document) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        boolean quoted = false;
        int firstBreakInQuotes = -1;
        for (int i = 0; i <= document.length; i++) {
            if (i == document.length && quoted && firstBreakInQuotes >= 0) {
                out.add(line(document, start, firstBreakInQuotes));
                start = firstBreakInQuotes + 1;
                i = start - 1;
                quoted = false;
                firstBreakInQuotes = -1;
                continue;
            }
            if (i < document.length && document[i] == '"') {
                quoted = !quoted;
            } else if (i < document.length && document[i] == '\n' && quoted) {
                firstBreakInQuotes = firstBreakInQuotes < 0 ? i : firstBreakInQuotes;
            } else if (i == document.length || document[i] == '\n') {
                if (i < document.length || i > start) {
                    out.add(line(document, start, i));
                }
                start = i + 1;
                firstBreakInQuotes = -1;
            }
        }
        return out;
    }

    private static byte[] line(byte[] document, int start, int end) {
        int stop = end > start && document[end - 1] == '\r' ? end - 1 : end;
        return Arrays.copyOfRange(document, start, stop);
    }

    /** One record into cells; a quote that does not close, or text after a closing quote, is an error. */
    static List<String> cells(String record) {
        try (CSVParser parser = CSVParser.parse(record, RFC_4180)) {
            List<CSVRecord> parsed = parser.getRecords();
            if (parsed.isEmpty()) {
                return List.of("");
            }
            if (parsed.size() > 1) {
                throw new IllegalArgumentException("the record is not one CSV record");
            }
            return parsed.get(0).toList();
        } catch (IOException | UncheckedIOException e) {
            boolean open = record.chars().filter(c -> c == '"').count() % 2 == 1;
            throw new IllegalArgumentException(open ? "a quoted value is not closed on its line"
                    : "a quoted value has text after its closing quote");
        }
    }

    @Override
    byte[] write(List<Location> columns, List<Map<Location, String>> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (header) {
            line(out, columns.stream().map(Location::column).toList());
        }
        for (Map<Location, String> record : records) {
            line(out, columns.stream().map(c -> record.getOrDefault(c, "")).toList());
        }
        return out.toByteArray();
    }

    private void line(ByteArrayOutputStream out, List<String> cells) {
        List<String> quoted = cells.stream().map(CsvFormat::quote).toList();
        out.writeBytes(encode(String.join(",", quoted) + "\r\n"));
    }

    static String quote(String cell) {
        return cell.matches("[^,\"\r\n]*") ? cell : "\"" + cell.replace("\"", "\"\"") + "\"";
    }

    @Override
    String mediaType() {
        return "text/csv; charset=" + charset.name();
    }

    @Override
    String fileExtension() {
        return "csv";
    }
}
