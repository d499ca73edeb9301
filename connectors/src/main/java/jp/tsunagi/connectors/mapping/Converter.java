package jp.tsunagi.connectors.mapping;

import jp.tsunagi.schema.JapanTime;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import jp.tsunagi.connectors.text.JapaneseEraDate;
import jp.tsunagi.connectors.text.KanaWidth;

/**
 * A named conversion between a native value and a message value, in both directions: {@code read} from the agency's
 * system towards the message, {@code write} back. A converter that cannot convert throws
 * {@link IllegalArgumentException} with a message that never repeats the value.
 */
enum Converter {
    /** Spaces (ASCII and full-width 全角空白) around the value are dropped; nothing to undo when writing. */
    TRIM("trim", Converter::strip, UnaryOperator.identity()),
    /** 半角カナ -> 全角カナ (ｻﾄｳ -> サトウ) when reading, back to half width when writing. */
    KANA_FULLWIDTH("kana-fullwidth", KanaWidth::toFullWidthKatakana, KanaWidth::toHalfWidthKatakana),
    /** 全角英数 -> ASCII (１２３ -> 123) when reading; written as ASCII. */
    ALNUM_HALFWIDTH("alnum-halfwidth", KanaWidth::toHalfWidthAlphanumeric, UnaryOperator.identity()),
    /** 和暦 in any accepted form (令和6年4月1日, R06.04.01, 5060401) -> ISO date; written as 令和6年4月1日. */
    ERA_DATE("era-date", v -> JapaneseEraDate.parse(v).toString(), v -> JapaneseEraDate.format(isoDate(v))),
    /** 和暦 -> ISO date; written as the 7-digit code of fixed-width files (5060401). */
    ERA_DATE_CODE("era-date-code", v -> JapaneseEraDate.parse(v).toString(), v -> JapaneseEraDate.toCode(isoDate(v))),
    /** yyyyMMdd (20240401) -> ISO date, and back. */
    YYYYMMDD("yyyymmdd", v -> LocalDate.parse(v, DateTimeFormatter.BASIC_ISO_DATE).toString(),
            v -> isoDate(v).format(DateTimeFormatter.BASIC_ISO_DATE)),
    /**
     * A date -> the start of that day in Japan (2024-04-01T00:00:00+09:00), for date-time fields of systems that
     * record dates only; written back as the date in Japan.
     */
    START_OF_DAY("start-of-day", v -> isoDate(v).atStartOfDay(Converter.japan()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
            v -> OffsetDateTime.parse(v).atZoneSameInstant(Converter.japan()).toLocalDate().toString()),
    /** A date -> the last second of that day in Japan (for expiry dates: 有効期限 is inclusive); back to the date. */
    END_OF_DAY("end-of-day", v -> isoDate(v).atTime(23, 59, 59).atZone(Converter.japan()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
            v -> OffsetDateTime.parse(v).atZoneSameInstant(Converter.japan()).toLocalDate().toString()),
    /** 7-digit postal code (1980012) -> 198-0012, and back. */
    POSTAL_CODE("postal-code", Converter::hyphenatePostalCode, v -> v.replace("-", ""));

    private static final Map<String, Converter> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toMap(c -> c.yamlName, c -> c, (a, b) -> a, TreeMap::new));

    final String yamlName;
    private final UnaryOperator<String> read;
    private final UnaryOperator<String> write;

    Converter(String yamlName, UnaryOperator<String> read, UnaryOperator<String> write) {
        this.yamlName = yamlName;
        this.read = read;
        this.write = write;
    }

    static Converter named(String name) {
        Converter converter = BY_NAME.get(name);
        if (converter == null) {
            throw new IllegalArgumentException("unknown converter \"" + name + "\" (known: "
                    + String.join(", ", BY_NAME.keySet()) + ")");
        }
        return converter;
    }

    String read(String value) {
        return read.apply(value);
    }

    String write(String value) {
        return write.apply(value);
    }

    /** Japan Standard Time (no daylight saving), as a method: enum constants cannot use a static field. */
    private static ZoneId japan() {
        return JapanTime.OFFSET;
    }

    private static String strip(String value) {
        return value.strip().replaceAll("^[\\s　]+|[\\s　]+$", "");
    }

    private static LocalDate isoDate(String value) {
        try {
            return LocalDate.parse(value.length() > 10 ? value.substring(0, 10) : value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO date");
        }
    }

    private static String hyphenatePostalCode(String value) {
        String digits = KanaWidth.toHalfWidthAlphanumeric(value).replace("-", "");
        if (!digits.matches("\\d{7}")) {
            throw new IllegalArgumentException("not a 7-digit postal code");
        }
        return digits.substring(0, 3) + "-" + digits.substring(3);
    }
}
