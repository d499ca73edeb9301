package jp.tsunagi.gateway.escalation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The municipal calendar against the Cabinet Office's published holiday lists (内閣府「国民の祝日について」). */
class MunicipalCalendarTest {
    private final MunicipalCalendar calendar = MunicipalCalendar.standard();

    @Test
    void the_2025_holidays_are_those_the_cabinet_office_published_including_the_substitute_holidays() {
        assertThat(MunicipalCalendar.nationalHolidays(2025)).containsExactlyEntriesOf(holidays(
                "2025-01-01", "元日", "2025-01-13", "成人の日", "2025-02-11", "建国記念の日", "2025-02-23", "天皇誕生日",
                "2025-02-24", "振替休日", "2025-03-20", "春分の日", "2025-04-29", "昭和の日", "2025-05-03", "憲法記念日",
                "2025-05-04", "みどりの日", "2025-05-05", "こどもの日", "2025-05-06", "振替休日", "2025-07-21", "海の日",
                "2025-08-11", "山の日", "2025-09-15", "敬老の日", "2025-09-23", "秋分の日", "2025-10-13", "スポーツの日",
                "2025-11-03", "文化の日", "2025-11-23", "勤労感謝の日", "2025-11-24", "振替休日"));
    }

    @Test
    void the_2026_holidays_include_the_substitute_holiday_of_6_may_and_the_citizens_holiday_of_22_september() {
        assertThat(MunicipalCalendar.nationalHolidays(2026)).containsExactlyEntriesOf(holidays(
                "2026-01-01", "元日", "2026-01-12", "成人の日", "2026-02-11", "建国記念の日", "2026-02-23", "天皇誕生日",
                "2026-03-20", "春分の日", "2026-04-29", "昭和の日", "2026-05-03", "憲法記念日", "2026-05-04", "みどりの日",
                "2026-05-05", "こどもの日", "2026-05-06", "振替休日", "2026-07-20", "海の日", "2026-08-11", "山の日",
                "2026-09-21", "敬老の日", "2026-09-22", "国民の休日", "2026-09-23", "秋分の日", "2026-10-12", "スポーツの日",
                "2026-11-03", "文化の日", "2026-11-23", "勤労感謝の日"));
    }

    @Test
    void the_olympic_years_2020_and_2021_moved_the_marine_mountain_and_sports_days() {
        assertThat(MunicipalCalendar.nationalHolidays(2020)).containsExactlyEntriesOf(holidays(
                "2020-01-01", "元日", "2020-01-13", "成人の日", "2020-02-11", "建国記念の日", "2020-02-23", "天皇誕生日",
                "2020-02-24", "振替休日", "2020-03-20", "春分の日", "2020-04-29", "昭和の日", "2020-05-03", "憲法記念日",
                "2020-05-04", "みどりの日", "2020-05-05", "こどもの日", "2020-05-06", "振替休日", "2020-07-23", "海の日",
                "2020-07-24", "スポーツの日", "2020-08-10", "山の日", "2020-09-21", "敬老の日", "2020-09-22", "秋分の日",
                "2020-11-03", "文化の日", "2020-11-23", "勤労感謝の日"));
        assertThat(MunicipalCalendar.nationalHolidays(2021)).containsExactlyEntriesOf(holidays(
                "2021-01-01", "元日", "2021-01-11", "成人の日", "2021-02-11", "建国記念の日", "2021-02-23", "天皇誕生日",
                "2021-03-20", "春分の日", "2021-04-29", "昭和の日", "2021-05-03", "憲法記念日", "2021-05-04", "みどりの日",
                "2021-05-05", "こどもの日", "2021-07-22", "海の日", "2021-07-23", "スポーツの日", "2021-08-08", "山の日",
                "2021-08-09", "振替休日", "2021-09-20", "敬老の日", "2021-09-23", "秋分の日", "2021-11-03", "文化の日",
                "2021-11-23", "勤労感謝の日"));
    }

    @Test
    void the_equinox_days_follow_the_official_dates_of_recent_and_coming_years() {
        Map<Integer, List<Integer>> official = Map.of(2022, List.of(21, 23), 2023, List.of(21, 23),
                2024, List.of(20, 22), 2025, List.of(20, 23), 2026, List.of(20, 23), 2027, List.of(21, 23),
                2028, List.of(20, 22), 2032, List.of(20, 22));
        official.forEach((year, days) -> {
            assertThat(MunicipalCalendar.vernalEquinoxDay(year)).as("春分の日 %d", year).isEqualTo(days.get(0));
            assertThat(MunicipalCalendar.autumnalEquinoxDay(year)).as("秋分の日 %d", year).isEqualTo(days.get(1));
        });
    }

    @Test
    void a_holiday_on_sunday_moves_to_the_next_day_that_is_not_itself_a_holiday() {
        // 2027-03-21 春分の日 and 2023-01-01 元日 are Sundays
        assertThat(MunicipalCalendar.nationalHoliday(LocalDate.of(2027, 3, 22))).contains("振替休日");
        assertThat(MunicipalCalendar.nationalHoliday(LocalDate.of(2023, 1, 2))).contains("振替休日");
        // 2027-05-03..05 Mon-Wed: no Sunday holiday, nothing moves
        assertThat(MunicipalCalendar.isNationalHoliday(LocalDate.of(2027, 5, 6))).isFalse();
    }

    @Test
    void the_citizens_holiday_appears_between_respect_for_the_aged_day_and_the_autumnal_equinox_in_2032() {
        assertThat(MunicipalCalendar.nationalHoliday(LocalDate.of(2032, 9, 20))).contains("敬老の日");
        assertThat(MunicipalCalendar.nationalHoliday(LocalDate.of(2032, 9, 21))).contains("国民の休日");
        assertThat(MunicipalCalendar.nationalHoliday(LocalDate.of(2032, 9, 22))).contains("秋分の日");
    }

    @Test
    void offices_are_closed_on_weekends_holidays_and_from_29_december_to_3_january() {
        assertThat(calendar.closedBecause(LocalDate.of(2025, 11, 22))).contains("土曜日");
        assertThat(calendar.closedBecause(LocalDate.of(2025, 11, 23))).contains("勤労感謝の日");
        assertThat(calendar.closedBecause(LocalDate.of(2025, 11, 24))).contains("振替休日");
        assertThat(calendar.closedBecause(LocalDate.of(2025, 12, 29))).contains("年末年始");
        assertThat(calendar.closedBecause(LocalDate.of(2026, 1, 2))).contains("年末年始");
        assertThat(calendar.isBusinessDay(LocalDate.of(2025, 12, 26))).isTrue();
        assertThat(calendar.isBusinessDay(LocalDate.of(2026, 1, 5))).isTrue();
        assertThat(calendar.nextBusinessDay(LocalDate.of(2025, 12, 26))).isEqualTo(LocalDate.of(2026, 1, 5));
    }

    @Test
    void every_weekday_of_2025_that_is_no_holiday_and_not_in_the_year_end_closing_is_a_business_day() {
        int open = 0;
        for (LocalDate day = LocalDate.of(2025, 1, 1); day.getYear() == 2025; day = day.plusDays(1)) {
            boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
            boolean expected = !weekend && !MunicipalCalendar.isNationalHoliday(day) && !MunicipalCalendar.isYearEndClosing(day);
            assertThat(calendar.isBusinessDay(day)).as(day.toString()).isEqualTo(expected);
            open += expected ? 1 : 0;
        }
        // 261 weekdays, less 15 holidays on weekdays (of 19: 2/23, 5/4 and 11/23 fall on Sundays, 5/3 on a Saturday),
        // less 1/2, 1/3, 12/29, 12/30 and 12/31 of the year-end closing (1/1 is a holiday already): 241
        assertThat(open).isEqualTo(241);
    }

    @Test
    void a_municipal_closing_day_is_not_a_business_day() {
        MunicipalCalendar city = new MunicipalCalendar(Set.of(LocalDate.of(2026, 10, 1)));

        assertThat(city.closedBecause(LocalDate.of(2026, 10, 1))).contains("市の休日");
        assertThat(calendar.isBusinessDay(LocalDate.of(2026, 10, 1))).isTrue();
        assertThat(city.plusBusinessDays(LocalDate.of(2026, 9, 30), 1)).isEqualTo(LocalDate.of(2026, 10, 2));
    }

    @Test
    void five_business_days_after_a_friday_before_a_long_weekend_skip_every_closed_day() {
        // Friday 2025-11-21, then Sat, Sun 勤労感謝の日, Mon 振替休日
        assertThat(calendar.plusBusinessDays(LocalDate.of(2025, 11, 21), 5)).isEqualTo(LocalDate.of(2025, 12, 1));
        // Friday 2026-09-18, then the silver week: Sat, Sun, 敬老の日, 国民の休日, 秋分の日
        assertThat(calendar.plusBusinessDays(LocalDate.of(2026, 9, 18), 5)).isEqualTo(LocalDate.of(2026, 9, 30));
        // Golden week 2026: 4/29 Wed, 5/2 Sat to 5/6 Wed closed
        assertThat(calendar.plusBusinessDays(LocalDate.of(2026, 5, 1), 1)).isEqualTo(LocalDate.of(2026, 5, 7));
        // over the year end: Friday 2025-12-26, closed 12/27 to 1/4
        assertThat(calendar.plusBusinessDays(LocalDate.of(2025, 12, 26), 5)).isEqualTo(LocalDate.of(2026, 1, 9));
    }

    @Test
    void business_days_between_two_dates_count_the_open_days_after_the_first_up_to_the_second() {
        assertThat(calendar.businessDaysBetween(LocalDate.of(2026, 9, 18), LocalDate.of(2026, 9, 23))).isZero();
        assertThat(calendar.businessDaysBetween(LocalDate.of(2026, 9, 18), LocalDate.of(2026, 9, 30))).isEqualTo(5);
        assertThat(calendar.businessDaysBetween(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 9, 18))).isZero();
        for (int n = 1; n <= 30; n++) {
            LocalDate from = LocalDate.of(2025, 12, 20);
            assertThat(calendar.businessDaysBetween(from, calendar.plusBusinessDays(from, n))).isEqualTo(n);
        }
    }

    @Test
    void years_outside_2020_to_2099_are_refused_rather_than_guessed() {
        assertThatThrownBy(() -> MunicipalCalendar.nationalHolidays(2019)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2020-2099");
        assertThatThrownBy(() -> calendar.isBusinessDay(LocalDate.of(2100, 1, 4))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> calendar.plusBusinessDays(LocalDate.of(2026, 1, 5), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void every_computed_year_has_sixteen_holidays_and_no_holiday_moves_onto_a_weekend() {
        for (int year = MunicipalCalendar.FIRST_YEAR; year <= MunicipalCalendar.LAST_YEAR; year++) {
            Map<LocalDate, String> days = MunicipalCalendar.nationalHolidays(year);
            long holidays = days.values().stream().filter(n -> !n.equals("振替休日") && !n.equals("国民の休日")).count();
            assertThat(holidays).as("祝日 %d", year).isEqualTo(16);
            days.forEach((day, name) -> {
                if (name.equals("振替休日") || name.equals("国民の休日")) {
                    assertThat(day.getDayOfWeek()).as("%s %s", name, day).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
                }
            });
        }
    }

    private static Map<LocalDate, String> holidays(String... pairs) {
        Map<LocalDate, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(LocalDate.parse(pairs[i]), pairs[i + 1]);
        }
        return map;
    }
}
