package jp.tsunagi.connectors.mapping;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jp.tsunagi.connectors.text.FixedWidthText;

/**
 * Fixed-width records (固定長): one record per line (CRLF or LF; {@code lineSeparator: none} for records written
 * back to back), fields by 1-based byte position and byte length in Windows-31J. Values are left-aligned and padded
 * with spaces, or right-aligned with a pad character ({@code align: right}, {@code pad: "0"}) for numbers.
 */
final class FixedWidthFormat extends NativeFormat {
    private final int recordLength;
    private final boolean separated;
    private final byte[] separator;

    FixedWidthFormat(Charset charset, int recordLength, String lineSeparator) {
        super(charset);
        this.recordLength = recordLength;
        String sep = lineSeparator == null ? "CRLF" : lineSeparator;
        this.separated = !sep.equalsIgnoreCase("none");
        this.separator = sep.equalsIgnoreCase("LF") ? new byte[] {'\n'} : new byte[] {'\r', '\n'};
    }

    @Override
    String checkLocation(Location l) {
        if (l.start() == null || l.length() == null) {
            return "a fixed-width field needs start (1-based byte position) and length (bytes)";
        }
        if (l.column() != null || l.element() != null || l.field() != null) {
            return "a fixed-width field has start and length only (no column, element or field)";
        }
        if (l.start() < 1 || l.length() < 1 || l.start() - 1 + l.length() > recordLength) {
            return "bytes " + l.start() + "-" + (l.start() + l.length() - 1) + " do not fit the " + recordLength
                    + "-byte record";
        }
        if (l.pad() != null && l.pad().length() != 1) {
            return "pad is one character";
        }
        return null;
    }

    @Override
    String describe(Location l) {
        return "bytes " + l.start() + "-" + (l.start() + l.length() - 1);
    }

    @Override
    NativeDocument read(byte[] document) {
        List<byte[]> records = separated ? lines(document) : slices(document);
        List<NativeRecord> out = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            byte[] raw = records.get(i);
            if (raw.length != recordLength) {
                out.add(NativeRecord.unreadable(i + 1, raw, "mapping.record_length",
                        "the record has " + raw.length + " bytes, the layout " + recordLength));
                continue;
            }
            FixedWidthText text = FixedWidthText.of(raw);
            out.add(new NativeRecord(i + 1, raw, null, l -> {
                String value = text.field(l.start() - 1, l.length());
                return l.align() == MappingFile.Align.right && l.pad() != null ? stripLeading(value, l.pad().charAt(0)) : value;
            }));
        }
        return NativeDocument.of(out);
    }

    private List<byte[]> slices(byte[] document) {
        List<byte[]> out = new ArrayList<>();
        for (int start = 0; start < document.length; start += recordLength) {
            out.add(Arrays.copyOfRange(document, start, Math.min(document.length, start + recordLength)));
        }
        return out;
    }

    private static String stripLeading(String value, char pad) {
        int i = 0;
        while (i < value.length() - 1 && value.charAt(i) == pad) {
            i++;
        }
        return value.substring(i);
    }

    @Override
    byte[] write(List<Location> layout, List<Map<Location, String>> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map<Location, String> record : records) {
            byte[] line = new byte[recordLength];
            Arrays.fill(line, (byte) ' ');
            record.forEach((l, value) -> {
                String fitted = l.truncate() ? fit(value, l.length()) : value;
                byte[] field = l.align() == MappingFile.Align.right ? rightAligned(fitted, l) : FixedWidthText.pad(fitted, l.length());
                System.arraycopy(field, 0, line, l.start() - 1, l.length());
            });
            out.writeBytes(line);
            if (separated) {
                out.writeBytes(separator);
            }
        }
        return out.toByteArray();
    }

    /** Cuts a free text ({@code truncate: true}) to the field's bytes at a character boundary, never inside a kanji. */
    private static String fit(String value, int bytes) {
        int end = value.length();
        while (FixedWidthText.byteLength(value.substring(0, end)) > bytes) {
            end = Character.isLowSurrogate(value.charAt(end - 1)) ? end - 2 : end - 1;
        }
        return value.substring(0, end);
    }

    private static byte[] rightAligned(String value, Location l) {
        int width = FixedWidthText.byteLength(value);
        if (width > l.length()) {
            throw new IllegalArgumentException("value is wider than the " + l.length() + "-byte field");
        }
        String pad = l.pad() == null ? " " : l.pad();
        return FixedWidthText.pad(pad.repeat(l.length() - width) + value, l.length());
    }

    @Override
    String mediaType() {
        return "text/plain; charset=" + charset.name();
    }

    @Override
    String fileExtension() {
        return "dat";
    }
}
