package jp.tsunagi.connectors.text;

import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.chrono.JapaneseDate;
import java.time.chrono.JapaneseEra;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Japanese era dates (和暦) as agency systems write them, converted to and from ISO {@link LocalDate}.
 *
 * <p>Tsunagi stores ISO 8601 only; era dates are accepted at connectors and nowhere else. Accepted forms:
 * <ul>
 *   <li>kanji: {@code 令和6年4月1日}, {@code 令和元年5月1日}, full-width digits {@code 令和６年４月１日},
 *       space-padded {@code 令和 6年 4月 1日}, and the one-character era signs such as {@code ㋿} and {@code ㍻};</li>
 *   <li>letters: {@code R6.4.1}, {@code R06.04.01}, {@code H31/04/30}, {@code S64-01-07}, {@code T15.12.24},
 *       {@code M45.7.29};</li>
 *   <li>the 7-digit code of fixed-width tax and resident files: {@code 5060401} (era digit 1=明治 2=大正 3=昭和
 *       4=平成 5=令和, then two digits each for year of era, month and day).</li>
 * </ul>
 *
 * <p>A date must exist in the era it names: {@code 平成31年5月1日} and {@code 令和元年4月30日} are rejected rather than
 * rolled into the neighbouring era, because a mistyped era is a data error the sender must fix.
 *
 * <p>Error messages never repeat the input: it is usually a birth date, which is personal data.
 */
public final class JapaneseEraDate {

    private static final String ERA = "(明治|大正|昭和|平成|令和|[MTSHR])";
    private static final String YEAR = "(元|\\d{1,2})";
    private static final Pattern KANJI_FORM = Pattern.compile(
            ERA + " ?" + YEAR + " ?年 ?(\\d{1,2}) ?月 ?(\\d{1,2}) ?日");
    private static final Pattern SEPARATED_FORM = Pattern.compile(
            ERA + " ?" + YEAR + "([./-])(\\d{1,2})\\3(\\d{1,2})");
    private static final Pattern CODE_FORM = Pattern.compile("([1-5])(\\d{2})(\\d{2})(\\d{2})");
    private static final Pattern SPACES = Pattern.compile(" +");

    private static final String MALFORMED =
            "not a valid Japanese era date: expected an era name or letter with year, month and day, or a 7-digit era code";

    private JapaneseEraDate() {
    }

    /** The eras Tsunagi accepts, with the kanji, letter and code digit each has in agency data. */
    private enum Era {
        MEIJI("明治", 'M', '1', JapaneseEra.MEIJI),
        TAISHO("大正", 'T', '2', JapaneseEra.TAISHO),
        SHOWA("昭和", 'S', '3', JapaneseEra.SHOWA),
        HEISEI("平成", 'H', '4', JapaneseEra.HEISEI),
        REIWA("令和", 'R', '5', JapaneseEra.REIWA);

        final String kanji;
        final char letter;
        final char codeDigit;
        final JapaneseEra javaEra;

        Era(String kanji, char letter, char codeDigit, JapaneseEra javaEra) {
            this.kanji = kanji;
            this.letter = letter;
            this.codeDigit = codeDigit;
            this.javaEra = javaEra;
        }

        static Era named(String nameOrLetter) {
            for (Era era : values()) {
                if (era.kanji.equals(nameOrLetter) || nameOrLetter.equals(String.valueOf(era.letter))) {
                    return era;
                }
            }
            throw new IllegalArgumentException(MALFORMED);
        }

        static Era ofCodeDigit(char digit) {
            for (Era era : values()) {
                if (era.codeDigit == digit) {
                    return era;
                }
            }
            throw new IllegalArgumentException(MALFORMED);
        }

        static Era of(JapaneseEra javaEra) {
            for (Era era : values()) {
                if (era.javaEra.equals(javaEra)) {
                    return era;
                }
            }
            // A future JDK may know an era after 令和 that agency systems cannot have written yet.
            throw new IllegalArgumentException("date falls in a Japanese era Tsunagi does not support yet");
        }
    }

    /**
     * Parses any accepted form into an ISO date.
     *
     * @throws IllegalArgumentException if the text is not an era date or names a day that does not exist in its era
     */
    public static LocalDate parse(String text) {
        Objects.requireNonNull(text, "text");
        // NFKC is safe here (a date, not a name): it turns full-width digits, letters, dots and spaces into
        // ASCII and the era signs ㋿ ㍻ ㍼ ㍽ ㍾ into 令和 平成 昭和 大正 明治.
        String normalized = SPACES.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC).strip())
                .replaceAll(" ")
                .toUpperCase(Locale.ROOT);

        Matcher m = KANJI_FORM.matcher(normalized);
        if (m.matches()) {
            return toLocalDate(Era.named(m.group(1)), yearOfEra(m.group(2)), m.group(3), m.group(4));
        }
        m = SEPARATED_FORM.matcher(normalized);
        if (m.matches()) {
            return toLocalDate(Era.named(m.group(1)), yearOfEra(m.group(2)), m.group(4), m.group(5));
        }
        m = CODE_FORM.matcher(normalized);
        if (m.matches()) {
            return toLocalDate(Era.ofCodeDigit(m.group(1).charAt(0)), yearOfEra(m.group(2)), m.group(3), m.group(4));
        }
        throw new IllegalArgumentException(MALFORMED);
    }

    /** Formats as agency letters write it, e.g. {@code 令和6年4月1日}; the first year of an era is 元年. */
    public static String format(LocalDate date) {
        JapaneseDate japanese = toJapanese(date);
        int year = japanese.get(ChronoField.YEAR_OF_ERA);
        return Era.of(japanese.getEra()).kanji
                + (year == 1 ? "元" : Integer.toString(year)) + "年"
                + date.getMonthValue() + "月" + date.getDayOfMonth() + "日";
    }

    /** Formats as the 7-digit code of fixed-width files, e.g. {@code 5060401} for 令和6年4月1日. */
    public static String toCode(LocalDate date) {
        JapaneseDate japanese = toJapanese(date);
        int year = japanese.get(ChronoField.YEAR_OF_ERA);
        if (year > 99) {
            throw new IllegalArgumentException("year of era does not fit the two digits of the era code");
        }
        return Era.of(japanese.getEra()).codeDigit + twoDigits(year) + twoDigits(date.getMonthValue())
                + twoDigits(date.getDayOfMonth());
    }

    private static String twoDigits(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }

    private static int yearOfEra(String digitsOrGannen) {
        return digitsOrGannen.equals("元") ? 1 : Integer.parseInt(digitsOrGannen);
    }

    private static LocalDate toLocalDate(Era era, int yearOfEra, String month, String day) {
        // The JDK's own messages are dropped (no cause attached) because they quote the day and month.
        try {
            return LocalDate.from(JapaneseDate.of(era.javaEra, yearOfEra, Integer.parseInt(month), Integer.parseInt(day)));
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "not a valid Japanese era date: no such day, or the day is outside the era it names");
        }
    }

    private static JapaneseDate toJapanese(LocalDate date) {
        Objects.requireNonNull(date, "date");
        try {
            return JapaneseDate.from(date);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "date is before 明治6年 (1873), when Japan adopted the Gregorian calendar, so it has no era form");
        }
    }
}
