package jp.tsunagi.gateway.escalation;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;

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
    public static final String BUSINESS_DAYS = Settings.ESCALATION_BUSINESS_DAYS.key();
    public static final String CHECK_INTERVAL = Settings.ESCALATION_CHECK_INTERVAL.key();
    public static final String CLOSED_DAYS = Settings.ESCALATION_CLOSED_DAYS.key();
    public static final int DEFAULT_BUSINESS_DAYS = Settings.ESCALATION_BUSINESS_DAYS.defaultValue();
    public static final Duration DEFAULT_CHECK_INTERVAL = Settings.ESCALATION_CHECK_INTERVAL.defaultValue();

    public EscalationSettings {
        Objects.requireNonNull(checkInterval, "checkInterval");
        // the ranges are declared with the settings (about a year of business days at most: longer is a typing mistake)
        Settings.ESCALATION_BUSINESS_DAYS.check(businessDays);
        Settings.ESCALATION_CHECK_INTERVAL.check(checkInterval);
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
        return new EscalationSettings(Settings.ESCALATION_BUSINESS_DAYS.read(p), Settings.ESCALATION_CHECK_INTERVAL.read(p),
                Settings.ESCALATION_CLOSED_DAYS.read(p));
    }

    /** The {@code tsunagi.escalation.*} settings of gateway.properties. */
    public static EscalationSettings from(SettingsFile file) {
        return fromProperties(file.properties());
    }

    /** The calendar these settings count business days in. */
    public MunicipalCalendar calendar() {
        return new MunicipalCalendar(closedDays);
    }
}
