package jp.tsunagi.gateway.escalation;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * 督促 (escalation) settings of {@code gateway.properties}: a referral still not accepted or declined after
 * {@code tsunagi.escalation.business-days} municipal business days is escalated to its sender; the gateway looks
 * every {@code tsunagi.escalation.check-interval}; {@code tsunagi.escalation.closed-days} are the municipality's own
 * closing days on top of weekends, national holidays and 12/29-1/3.
 *
 * @param businessDays  business days the recipient has, after the day the gateway accepted the referral (1-250)
 * @param checkInterval how often the gateway looks for overdue referrals (1 second to 1 day)
 * @param closedDays    extra closing days of the municipality (市の休日), e.g. its anniversary
 */
public record EscalationSettings(int businessDays, Duration checkInterval, Set<LocalDate> closedDays) {
    public static final String PREFIX = "tsunagi.escalation.";
    public static final String BUSINESS_DAYS = PREFIX + "business-days";
    public static final String CHECK_INTERVAL = PREFIX + "check-interval";
    public static final String CLOSED_DAYS = PREFIX + "closed-days";
    public static final int DEFAULT_BUSINESS_DAYS = 5;
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofHours(1);
    /** About a year of business days: anything longer is a typing mistake. */
    static final int MAX_BUSINESS_DAYS = 250;

    public EscalationSettings {
        Objects.requireNonNull(checkInterval, "checkInterval");
        if (businessDays < 1 || businessDays > MAX_BUSINESS_DAYS) {
            throw new IllegalArgumentException(BUSINESS_DAYS + "=" + businessDays + ": must be 1 to " + MAX_BUSINESS_DAYS);
        }
        if (checkInterval.compareTo(Duration.ofSeconds(1)) < 0 || checkInterval.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(CHECK_INTERVAL + "=" + checkInterval + ": must be 1 second to 1 day");
        }
        TreeSet<LocalDate> days = new TreeSet<>();
        for (LocalDate day : closedDays == null ? Set.<LocalDate>of() : closedDays) {
            Objects.requireNonNull(day, "closed day");
            if (day.getYear() < MunicipalCalendar.FIRST_YEAR || day.getYear() > MunicipalCalendar.LAST_YEAR) {
                throw new IllegalArgumentException(CLOSED_DAYS + ": " + day + " is outside "
                        + MunicipalCalendar.FIRST_YEAR + "-" + MunicipalCalendar.LAST_YEAR);
            }
            days.add(day);
        }
        closedDays = Collections.unmodifiableSet(days);
    }

    /** 5 business days, checked hourly, no extra closing days. */
    public static EscalationSettings defaults() {
        return new EscalationSettings(DEFAULT_BUSINESS_DAYS, DEFAULT_CHECK_INTERVAL, Set.of());
    }

    /**
     * The defaults overridden by the {@code tsunagi.escalation.*} properties: {@code business-days} (a whole number),
     * {@code check-interval} (ISO 8601 duration, e.g. {@code PT1H}, {@code PT15M}), {@code closed-days} (ISO dates,
     * comma-separated, e.g. {@code 2026-10-01,2027-10-01}).
     *
     * @throws IllegalArgumentException naming the property when a value is malformed or out of range
     */
    public static EscalationSettings fromProperties(Properties p) {
        int businessDays = DEFAULT_BUSINESS_DAYS;
        String days = text(p, BUSINESS_DAYS);
        if (days != null) {
            try {
                businessDays = Integer.parseInt(days);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(BUSINESS_DAYS + "=" + days + ": not a whole number");
            }
        }
        Duration interval = DEFAULT_CHECK_INTERVAL;
        String every = text(p, CHECK_INTERVAL);
        if (every != null) {
            try {
                interval = Duration.parse(every);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(CHECK_INTERVAL + "=" + every + ": not an ISO 8601 duration such as PT1H");
            }
        }
        Set<LocalDate> closed = new TreeSet<>();
        String list = text(p, CLOSED_DAYS);
        if (list != null) {
            for (String item : list.split(",")) {
                String date = item.strip();
                if (date.isEmpty()) {
                    continue;
                }
                try {
                    closed.add(LocalDate.parse(date));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(CLOSED_DAYS + ": " + date + " is not an ISO date such as 2026-10-01");
                }
            }
        }
        return new EscalationSettings(businessDays, interval, closed);
    }

    /** The calendar these settings count business days in. */
    public MunicipalCalendar calendar() {
        return new MunicipalCalendar(closedDays);
    }

    private static String text(Properties p, String name) {
        String value = p.getProperty(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
