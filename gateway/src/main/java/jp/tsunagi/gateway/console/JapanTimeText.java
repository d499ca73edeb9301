package jp.tsunagi.gateway.console;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import jp.tsunagi.schema.JapanTime;

/**
 * Times as people in a Japanese municipality read and type them: Japan time (日本時間). Typed: ISO 8601 with offset, a
 * local date-time (what an HTML {@code datetime-local} field sends), or a date; an end date includes its whole day.
 */
public final class JapanTimeText {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(JapanTime.ZONE);

    private JapanTimeText() {
    }

    /**
     * @param end whether the time ends a range (a date then means the start of the next day)
     * @return null for null or blank
     * @throws IllegalArgumentException naming the field when it cannot be read
     */
    public static OffsetDateTime parse(String field, String text, boolean end) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        try {
            return OffsetDateTime.parse(t);
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(t).atZone(JapanTime.ZONE).toOffsetDateTime();
            } catch (DateTimeParseException notLocal) {
                try {
                    LocalDate date = LocalDate.parse(t);
                    return (end ? date.plusDays(1) : date).atStartOfDay(JapanTime.ZONE).toOffsetDateTime();
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException(field + " must be ISO 8601, e.g. 2024-04-01 or 2024-04-01T09:00:00+09:00");
                }
            }
        }
    }

    /** e.g. {@code 2024-04-01 09:00:00} (Japan time); empty for null. */
    public static String show(OffsetDateTime time) {
        return time == null ? "" : SHOWN.format(time);
    }
}
