package jp.tsunagi.gateway.config;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * An agency's suspension (利用停止) in {@code conf/agencies.yaml}, e.g. while its system is compromised or its agreement
 * has lapsed: nothing is accepted from it, and copies to it are held (neither delivered nor dead-lettered) until the
 * block is removed and the gateway restarted.
 *
 * @param since  when it began: an ISO date ({@code 2026-12-01}) or date-time with offset ({@code 2026-12-01T09:00:00+09:00})
 * @param reason free text for administrators ({@code config check}); never personal data, never in the audit trail
 */
public record Suspension(String since, String reason) {
    /** Whether {@code since} is a date or a date-time with offset. */
    static boolean isDateOrDateTime(String since) {
        try {
            LocalDate.parse(since);
            return true;
        } catch (DateTimeParseException e) {
            try {
                OffsetDateTime.parse(since);
                return true;
            } catch (DateTimeParseException e2) {
                return false;
            }
        }
    }
}
