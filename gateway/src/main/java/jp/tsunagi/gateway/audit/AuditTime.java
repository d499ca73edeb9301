package jp.tsunagi.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Times of the audit trail: UTC, truncated to microseconds (what PostgreSQL's timestamp keeps, so a value read back
 * is the value hashed), and written with exactly six fraction digits so that the canonical form is unique.
 */
final class AuditTime {
    private static final DateTimeFormatter CANONICAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    private AuditTime() {
    }

    static OffsetDateTime of(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    /** Whatever offset the database returns, the same instant in the same text. */
    static OffsetDateTime normalize(OffsetDateTime time) {
        return time == null ? null : of(time.toInstant());
    }

    /**
     * e.g. {@code 2024-04-01T01:02:03.000456Z}. Written by hand for the years 0 to 9999 (the verifier writes it for
     * every entry of the trail, and the formatter was a tenth of its time); other years through the formatter.
     */
    static String canonical(OffsetDateTime time) {
        if (time == null) {
            return null;
        }
        OffsetDateTime t = normalize(time);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return CANONICAL.format(t);
        }
        byte[] text = new byte[27];
        digits(text, 0, year, 4);
        text[4] = '-';
        digits(text, 5, t.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, t.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, t.getHour(), 2);
        text[13] = ':';
        digits(text, 14, t.getMinute(), 2);
        text[16] = ':';
        digits(text, 17, t.getSecond(), 2);
        text[19] = '.';
        digits(text, 20, t.getNano() / 1000, 6);
        text[26] = 'Z';
        return new String(text, StandardCharsets.US_ASCII);
    }

    private static void digits(byte[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--, value /= 10) {
            text[i] = (byte) ('0' + value % 10);
        }
    }
}
