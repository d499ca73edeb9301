package jp.tsunagi.gateway.audit;

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

    /** e.g. {@code 2024-04-01T01:02:03.000456Z}. */
    static String canonical(OffsetDateTime time) {
        return time == null ? null : CANONICAL.format(normalize(time));
    }
}
