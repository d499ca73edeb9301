package jp.tsunagi.connectors.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Japanese era dates (和暦)")
class JapaneseEraDateTest {

    @Test
    void reiwaGannenIsTheFirstYearOfReiwa() {
        assertThat(JapaneseEraDate.parse("令和元年5月1日")).isEqualTo(LocalDate.of(2019, 5, 1));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "令和6年4月1日,       2024-04-01",
            "令和６年４月１日,     2024-04-01",
            "令和 6年 4月 1日,    2024-04-01",
            "令和　６年　４月　１日, 2024-04-01",
            "㋿6年4月1日,         2024-04-01",
            "㍻31年4月30日,       2019-04-30",
            "R6.4.1,             2024-04-01",
            "R06.04.01,          2024-04-01",
            "r6.4.1,             2024-04-01",
            "Ｒ６．４．１,          2024-04-01",
            "R6/4/1,             2024-04-01",
            "R6-04-01,           2024-04-01",
            "R元.5.1,             2019-05-01",
            "H31.04.30,          2019-04-30",
            "S64.01.07,          1989-01-07",
            "T15.12.24,          1926-12-24",
            "M45.7.29,           1912-07-29",
            "5060401,            2024-04-01",
            "５０６０４０１,        2024-04-01",
            "4310430,            2019-04-30",
            "3640107,            1989-01-07",
            "2151224,            1926-12-24",
            "1450729,            1912-07-29",
    })
    void acceptsEveryFormAgencySystemsWrite(String text, LocalDate expected) {
        assertThat(JapaneseEraDate.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}, the first day of its era")
    @CsvSource({
            "大正元年7月30日, 1912-07-30",
            "昭和元年12月25日, 1926-12-25",
            "平成元年1月8日,  1989-01-08",
            "令和元年5月1日,  2019-05-01",
    })
    void acceptsTheFirstDayOfEachEra(String text, LocalDate expected) {
        assertThat(JapaneseEraDate.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}, the last day of its era")
    @CsvSource({
            "明治45年7月29日,  1912-07-29",
            "大正15年12月24日, 1926-12-24",
            "昭和64年1月7日,   1989-01-07",
            "平成31年4月30日,  2019-04-30",
    })
    void acceptsTheLastDayOfEachEra(String text, LocalDate expected) {
        assertThat(JapaneseEraDate.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(strings = {
            "明治45年7月30日", "大正元年7月29日",
            "大正15年12月25日", "昭和元年12月24日",
            "昭和64年1月8日", "平成元年1月7日",
            "平成31年5月1日", "平成32年1月1日", "令和元年4月30日",
            "H31.05.01", "R01.04.30", "4310501", "5010430",
    })
    void rejectsADayOutsideTheEraItNames(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> JapaneseEraDate.parse(text));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @ValueSource(strings = {"令和6年2月30日", "令和5年2月29日", "令和6年4月31日", "令和6年13月1日", "令和6年4月0日",
            "令和0年5月1日", "R6.2.30", "5060230", "5000501", "明治5年12月31日"})
    void rejectsADayThatDoesNotExist(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> JapaneseEraDate.parse(text));
    }

    @Test
    void acceptsTheLeapDayOfALeapYear() {
        assertThat(JapaneseEraDate.parse("令和6年2月29日")).isEqualTo(LocalDate.of(2024, 2, 29));
    }

    @ParameterizedTest(name = "\"{0}\" is rejected")
    @ValueSource(strings = {"", "   ", "2024-04-01", "令和6年4月", "令和6年4月1", "X6.4.1", "R6.4/1", "R123.4.1",
            "6060401", "050604011", "506041", "慶応3年1月1日", "令和6年4月1日生"})
    void rejectsTextThatIsNotAnEraDate(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> JapaneseEraDate.parse(text))
                .withMessageStartingWith("not a valid Japanese era date");
    }

    @Test
    void errorMessagesNeverRepeatTheInputBecauseItIsPersonalData() {
        for (String birthDate : new String[] {"平成31年5月1日", "令和6年2月30日", "R9.99.99", "5060230", "昭和47年13月8日"}) {
            IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
                    () -> JapaneseEraDate.parse(birthDate));
            assertThat(e.getMessage())
                    .startsWith("not a valid Japanese era date")
                    .doesNotContain(birthDate)
                    .doesNotContainPattern("\\d");
            assertThat(e.getCause()).isNull();
        }
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
            "2024-04-01, 令和6年4月1日",
            "2019-05-01, 令和元年5月1日",
            "2019-04-30, 平成31年4月30日",
            "1989-01-08, 平成元年1月8日",
            "1989-01-07, 昭和64年1月7日",
            "1926-12-25, 昭和元年12月25日",
            "1926-12-24, 大正15年12月24日",
            "1912-07-29, 明治45年7月29日",
    })
    void formatsAsAgencyLettersWriteIt(LocalDate date, String expected) {
        assertThat(JapaneseEraDate.format(date)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} has code {1}")
    @CsvSource({
            "2024-04-01, 5060401",
            "2019-05-01, 5010501",
            "2019-04-30, 4310430",
            "1989-01-07, 3640107",
            "1926-12-24, 2151224",
            "1912-07-29, 1450729",
    })
    void formatsAsTheSevenDigitCodeOfFixedWidthFiles(LocalDate date, String expected) {
        assertThat(JapaneseEraDate.toCode(date)).isEqualTo(expected);
    }

    @Test
    void everyDayOfTheEraChangeYearsAndEveryMonthsFirstAndLastDaySurviveBothRoundTrips() {
        List<LocalDate> dates = new ArrayList<>();
        for (int year : new int[] {1912, 1926, 1989, 2019}) {
            LocalDate.of(year, 1, 1).datesUntil(LocalDate.of(year + 1, 1, 1)).forEach(dates::add);
        }
        for (LocalDate month = LocalDate.of(1873, 1, 1); month.getYear() < 2100; month = month.plusMonths(1)) {
            dates.add(month);
            dates.add(month.withDayOfMonth(month.lengthOfMonth()));
        }
        List<LocalDate> failures = new ArrayList<>();
        for (LocalDate d : dates) {
            if (!JapaneseEraDate.parse(JapaneseEraDate.format(d)).equals(d)
                    || !JapaneseEraDate.parse(JapaneseEraDate.toCode(d)).equals(d)) {
                failures.add(d);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aDateBeforeTheGregorianCalendarHasNoEraForm() {
        assertThatIllegalArgumentException().isThrownBy(() -> JapaneseEraDate.format(LocalDate.of(1872, 12, 31)));
        assertThatIllegalArgumentException().isThrownBy(() -> JapaneseEraDate.toCode(LocalDate.of(1872, 12, 31)));
    }
}
