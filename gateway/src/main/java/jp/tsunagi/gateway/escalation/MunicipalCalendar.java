package jp.tsunagi.gateway.escalation;

import jp.tsunagi.schema.JapanTime;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The days a municipal office is open (市役所の開庁日). Closed (地方自治法第4条の2 and the usual 休日条例): Saturdays and
 * Sundays, the national holidays (国民の祝日に関する法律: the 祝日 themselves, 振替休日 and 国民の休日), the year-end
 * and New Year closing from 29 December to 3 January (年末年始), and any further dates the municipality closes (e.g.
 * its anniversary, 市制施行記念日), given to the constructor.
 *
 * <p>The national holidays are computed by the rules of the law as it stands since 2020 (天皇誕生日 on 23 February,
 * スポーツの日, 山の日 on 11 August, the Happy Monday days), with the Olympic moves of 2020 and 2021, for the years
 * {@value #FIRST_YEAR} to {@value #LAST_YEAR}. 春分の日 and 秋分の日 come from the usual approximation formula (valid
 * 1980-2099); the official dates are announced in the 官報 each February for the next year, and have so far always
 * matched it. A date outside the range is refused ({@link IllegalArgumentException}) rather than guessed. A future
 * change of the law (a new or moved holiday) must be added to this class; a one-off closing day can be configured.
 *
 * <p>Dates are dates in Japan: convert instants with {@link #TOKYO}. Immutable and thread-safe.
 */
public final class MunicipalCalendar {
    /** The time zone in which days are counted. */
    public static final ZoneId TOKYO = JapanTime.ZONE;
    /** First year whose national holidays are computed. */
    public static final int FIRST_YEAR = 2020;
    /** Last year whose national holidays are computed (the equinox formula holds until 2099). */
    public static final int LAST_YEAR = 2099;

    static final String SUBSTITUTE_HOLIDAY = "振替休日";
    static final String CITIZENS_HOLIDAY = "国民の休日";
    static final String YEAR_END_CLOSING = "年末年始";
    static final String MUNICIPAL_CLOSING = "市の休日";

    private static final Map<Integer, NavigableMap<LocalDate, String>> HOLIDAYS = new ConcurrentHashMap<>();

    private final Set<LocalDate> extraClosedDays;

    /** @param extraClosedDays further dates the offices are closed (a municipal anniversary, ...), may be empty */
    public MunicipalCalendar(Collection<LocalDate> extraClosedDays) {
        TreeSet<LocalDate> days = new TreeSet<>();
        for (LocalDate day : extraClosedDays) {
            days.add(Objects.requireNonNull(day, "closed day"));
        }
        this.extraClosedDays = Collections.unmodifiableSet(days);
    }

    /** Weekends, national holidays and 12/29-1/3 only. */
    public static MunicipalCalendar standard() {
        return new MunicipalCalendar(Set.of());
    }

    /** The configured extra closing days, in order. */
    public Set<LocalDate> extraClosedDays() {
        return extraClosedDays;
    }

    /** Whether the offices are open that day (開庁日). */
    public boolean isBusinessDay(LocalDate date) {
        return closedBecause(date).isEmpty();
    }

    /**
     * Why the offices are closed that day: 土曜日, 日曜日, the holiday's name (元日, 振替休日, 国民の休日, ...), 年末年始 or
     * 市の休日 (a configured day); empty on a business day.
     */
    public Optional<String> closedBecause(LocalDate date) {
        Optional<String> holiday = nationalHoliday(date);
        if (holiday.isPresent()) {
            return holiday;
        }
        if (date.getDayOfWeek() == DayOfWeek.SATURDAY) {
            return Optional.of("土曜日");
        }
        if (date.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return Optional.of("日曜日");
        }
        if (isYearEndClosing(date)) {
            return Optional.of(YEAR_END_CLOSING);
        }
        return extraClosedDays.contains(date) ? Optional.of(MUNICIPAL_CLOSING) : Optional.empty();
    }

    /**
     * The {@code n}th business day after {@code date} (the date itself not counted, whether open or not): for n = 1
     * the next business day.
     */
    public LocalDate plusBusinessDays(LocalDate date, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("count at least one business day, not " + n);
        }
        LocalDate day = date;
        int counted = 0;
        while (counted < n) {
            day = day.plusDays(1);
            if (isBusinessDay(day)) {
                counted++;
            }
        }
        return day;
    }

    /** The next business day after the date (the date itself not counted). */
    public LocalDate nextBusinessDay(LocalDate date) {
        return plusBusinessDays(date, 1);
    }

    /**
     * How many business days lie after {@code from} up to and including {@code to}: 0 when {@code to} is not after
     * {@code from}. From a Friday to the following Monday, a normal weekend: 1.
     */
    public int businessDaysBetween(LocalDate from, LocalDate to) {
        int count = 0;
        for (LocalDate day = from.plusDays(1); !day.isAfter(to); day = day.plusDays(1)) {
            if (isBusinessDay(day)) {
                count++;
            }
        }
        return count;
    }

    /** 12/29 to 1/3: the year-end and New Year closing of public offices. */
    public static boolean isYearEndClosing(LocalDate date) {
        return date.getMonth() == Month.DECEMBER && date.getDayOfMonth() >= 29
                || date.getMonth() == Month.JANUARY && date.getDayOfMonth() <= 3;
    }

    /** Whether the date is a national holiday (祝日, 振替休日 or 国民の休日). */
    public static boolean isNationalHoliday(LocalDate date) {
        return nationalHoliday(date).isPresent();
    }

    /** The national holiday's name that day (祝日名, 振替休日 or 国民の休日), or empty. */
    public static Optional<String> nationalHoliday(LocalDate date) {
        return Optional.ofNullable(nationalHolidays(date.getYear()).get(date));
    }

    /**
     * The national holidays of a year in date order, with their names, as the Cabinet Office lists them.
     *
     * @throws IllegalArgumentException for a year outside {@value #FIRST_YEAR}-{@value #LAST_YEAR}
     */
    public static NavigableMap<LocalDate, String> nationalHolidays(int year) {
        if (year < FIRST_YEAR || year > LAST_YEAR) {
            throw new IllegalArgumentException("national holidays are computed for " + FIRST_YEAR + "-" + LAST_YEAR
                    + " only, not " + year);
        }
        return HOLIDAYS.computeIfAbsent(year, MunicipalCalendar::compute);
    }

    private static NavigableMap<LocalDate, String> compute(int year) {
        TreeMap<LocalDate, String> days = new TreeMap<>();
        days.put(LocalDate.of(year, 1, 1), "元日");
        days.put(nthMonday(year, Month.JANUARY, 2), "成人の日");
        days.put(LocalDate.of(year, 2, 11), "建国記念の日");
        days.put(LocalDate.of(year, 2, 23), "天皇誕生日");
        days.put(LocalDate.of(year, 3, vernalEquinoxDay(year)), "春分の日");
        days.put(LocalDate.of(year, 4, 29), "昭和の日");
        days.put(LocalDate.of(year, 5, 3), "憲法記念日");
        days.put(LocalDate.of(year, 5, 4), "みどりの日");
        days.put(LocalDate.of(year, 5, 5), "こどもの日");
        // the Tokyo Olympics moved three holidays in 2020 and 2021 (東京オリンピック・パラリンピック特別措置法)
        days.put(switch (year) {
            case 2020 -> LocalDate.of(2020, 7, 23);
            case 2021 -> LocalDate.of(2021, 7, 22);
            default -> nthMonday(year, Month.JULY, 3);
        }, "海の日");
        days.put(switch (year) {
            case 2020 -> LocalDate.of(2020, 8, 10);
            case 2021 -> LocalDate.of(2021, 8, 8);
            default -> LocalDate.of(year, 8, 11);
        }, "山の日");
        days.put(nthMonday(year, Month.SEPTEMBER, 3), "敬老の日");
        days.put(LocalDate.of(year, 9, autumnalEquinoxDay(year)), "秋分の日");
        days.put(switch (year) {
            case 2020 -> LocalDate.of(2020, 7, 24);
            case 2021 -> LocalDate.of(2021, 7, 23);
            default -> nthMonday(year, Month.OCTOBER, 2);
        }, "スポーツの日");
        days.put(LocalDate.of(year, 11, 3), "文化の日");
        days.put(LocalDate.of(year, 11, 23), "勤労感謝の日");

        Set<LocalDate> holidays = Set.copyOf(days.keySet());
        // 国民の休日 (art. 3(3)): a day that is not a 祝日 but whose day before and day after both are
        for (LocalDate holiday : holidays) {
            LocalDate between = holiday.plusDays(1);
            if (!holidays.contains(between) && holidays.contains(holiday.plusDays(2))) {
                days.put(between, CITIZENS_HOLIDAY);
            }
        }
        // 振替休日 (art. 3(2)): a 祝日 on a Sunday makes the nearest following day that is not a 祝日 a holiday
        for (LocalDate holiday : holidays) {
            if (holiday.getDayOfWeek() == DayOfWeek.SUNDAY) {
                LocalDate substitute = holiday.plusDays(1);
                while (holidays.contains(substitute)) {
                    substitute = substitute.plusDays(1);
                }
                if (substitute.getYear() == year) {
                    days.putIfAbsent(substitute, SUBSTITUTE_HOLIDAY);
                }
            }
        }
        return Collections.unmodifiableNavigableMap(days);
    }

    private static LocalDate nthMonday(int year, Month month, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, DayOfWeek.MONDAY));
    }

    /** 春分の日 (day of March): the usual approximation, valid 1980-2099. */
    static int vernalEquinoxDay(int year) {
        return (int) Math.floor(20.8431 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
    }

    /** 秋分の日 (day of September): the usual approximation, valid 1980-2099. */
    static int autumnalEquinoxDay(int year) {
        return (int) Math.floor(23.2488 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
    }
}
