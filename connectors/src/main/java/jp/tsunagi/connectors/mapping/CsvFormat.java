package jp.tsunagi.connectors.mapping;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CSV (RFC 4180: commas, double quotes, "" inside quotes) in the declared encoding, one record per line, usually
 * with a header row naming the columns ({@code header: true}, the default). A column is named by its header text or
 * by its 1-based number. A quoted value spanning lines is not supported: agency batch files do not use it, and a
 * line-per-record file lets one bad line be rejected alone. Written with CRLF and a header row.
 */
final class CsvFormat extends NativeFormat {
    private final boolean header;

    CsvFormat(Charset charset, boolean header) {
        super(charset);
        this.header = header;
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
    List<NativeRecord> read(byte[] document) {
        List<byte[]> lines = lines(document);
        List<NativeRecord> out = new ArrayList<>();
        List<String> names = List.of();
        int first = 0;
        if (header) {
            if (lines.isEmpty()) {
                return out;
            }
            try {
                names = split(stripBom(decode(lines.get(0), 0, lines.get(0).length)));
            } catch (CharacterCodingException | IllegalArgumentException e) {
                out.add(NativeRecord.unreadable(0, lines.get(0), "mapping.malformed", "the header row cannot be read"));
                return out;
            }
            first = 1;
        }
        for (int i = first; i < lines.size(); i++) {
            int number = i - first + 1;
            byte[] raw = lines.get(i);
            List<String> cells;
            try {
                cells = split(decode(raw, 0, raw.length));
            } catch (CharacterCodingException e) {
                out.add(NativeRecord.unreadable(number, raw, "mapping.encoding", "the line is not valid " + charset.name()));
                continue;
            } catch (IllegalArgumentException e) {
                out.add(NativeRecord.unreadable(number, raw, "mapping.malformed", e.getMessage()));
                continue;
            }
            if (header && cells.size() != names.size()) {
                out.add(NativeRecord.unreadable(number, raw, "mapping.malformed",
                        "the line has " + cells.size() + " columns, the header " + names.size()));
                continue;
            }
            List<String> headerNames = names;
            out.add(new NativeRecord(number, raw, null, l -> {
                int index = l.column().matches("\\d{1,3}") && !headerNames.contains(l.column())
                        ? Integer.parseInt(l.column()) - 1 : headerNames.indexOf(l.column());
                return index >= 0 && index < cells.size() ? cells.get(index) : null;
            }));
        }
        return out;
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    /** One line into cells; a quote that does not close is an error. */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quoted value is not closed on its line");
        }
        cells.add(cell.toString());
        return cells;
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
