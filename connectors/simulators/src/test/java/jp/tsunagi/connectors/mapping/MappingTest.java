package jp.tsunagi.connectors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import jp.tsunagi.connectors.simulator.TaxDeskSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingTest {
    static final Path CONF = Path.of("../../conf/mappings");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTaxDeskRecordInWindows31JBecomesExactlyTheseMessageFields() throws Exception {
        Mapping mapping = Mapping.load(CONF.resolve("tax-desk-referral.yaml"));

        List<MappedRecord> records = mapping.read(TaxDeskSystem.file(List.of(rec(123))));

        assertThat(records).hasSize(1);
        assertThat(records.get(0).problem()).isNull();
        assertThat(records.get(0).message()).isEqualTo(JSON.readTree("""
                {"messageType":"REFERRAL","referralId":"TAX-2026-000123","recipient":"tsunagi-hub",
                 "referral":{"purpose":"CONSULTATION_REFERRAL",
                   "subject":{"name":{"family":"佐藤","given":"健一"},"kana":{"family":"サトウ","given":"ケンイチ"},
                     "birthDate":"1979-08-21",
                     "address":{"postalCode":"198-0012","municipalityCode":"139998",
                                "line":"東京都つなぎ市本町二丁目３番４号　つなぎハイツ１０１"},
                     "contact":{"phones":["090-3814-2267"]}},
                   "issues":["TAX_FEE_ARREARS","ECONOMIC_HARDSHIP"],"domains":["NEEDY"],
                   "requestedServices":["SELF_RELIANCE_CONSULTATION","HOUSEHOLD_BUDGET_IMPROVEMENT"],
                   "taxArrears":{"items":[
                     {"taxItem":"INDIVIDUAL_RESIDENT_TAX","fiscalYear":2025,"amountYen":96800},
                     {"taxItem":"NATIONAL_HEALTH_INSURANCE_TAX","fiscalYear":2024,"amountYen":61300}]},
                   "chiefComplaint":"収入が減り住民税と国保税を払えない月が続いている。家計全体を見直したい。",
                   "urgency":"NORMAL",
                   "basis":{"consent":{"consentId":"CNS-2026-0012","givenBy":"SUBJECT",
                     "obtainedAt":"2026-06-15T00:00:00+09:00","obtainedBy":"tsunagi-tax","method":"WRITTEN",
                     "recipients":[{"agencyId":"tsunagi-hub"}],"purposes":["CONSULTATION_REFERRAL","ASSESSMENT"],
                     "dataCategories":["IDENTITY","CONTACT","ADDRESS","ISSUES","NARRATIVE","TAX_ARREARS"],
                     "expiresAt":"2027-06-14T23:59:59+09:00"}},
                   "referrer":{"department":"つなぎ市税務課 納税係","staffName":"高橋 美咲","phone":"042-555-0131"}}}
                """));
    }

    @Test
    void writingTheFieldsBackGivesTheSameBytes() {
        Mapping mapping = Mapping.load(CONF.resolve("tax-desk-referral.yaml"));
        byte[] file = TaxDeskSystem.file(List.of(rec(7), rec(8)));

        byte[] written = mapping.write(mapping.read(file).stream().map(MappedRecord::message).toList());

        // the record type (constant "1") and the filler are not message fields: compare the mapped bytes only
        assertThat(Arrays.copyOfRange(written, 1, 452)).isEqualTo(Arrays.copyOfRange(file, 1, 452));
        assertThat(new String(written, 462 + 1, 16, StandardCharsets.US_ASCII)).isEqualTo("TAX-2026-000008 ");
    }

    @Test
    void aBadRecordIsRejectedAloneWithItsFieldAndNeverItsValue() {
        Mapping mapping = Mapping.load(CONF.resolve("tax-desk-referral.yaml"));
        byte[] badDate = TaxDeskSystem.record(new TaxDeskSystem.Referral("TAX-2026-000002", "鈴木", "一郎", "ｽｽﾞｷ", "ｲﾁﾛｳ", "5011301", "CNS-2026-0002", "5080615", "5090614"));
        byte[] badCode = rec(3);
        badCode[210] = '7';
        byte[] shortRecord = Arrays.copyOf(rec(4), 300);
        byte[] notSjis = rec(5);
        notSjis[17] = (byte) 0x81;
        notSjis[18] = (byte) 0x20;

        List<MappedRecord> records = mapping.read(TaxDeskSystem.file(List.of(
                rec(1), badDate, badCode, shortRecord, notSjis, rec(6))));

        assertThat(records).extracting(MappedRecord::number).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(records.get(0).ok()).isTrue();
        assertThat(records.get(5).ok()).isTrue();
        assertThat(records.get(1).problem().code()).isEqualTo("mapping.invalid_value");
        assertThat(records.get(1).problem().reason()).startsWith("bytes 98-104 -> referral.subject.birthDate:")
                .doesNotContain("5011301");
        assertThat(records.get(2).problem().code()).isEqualTo("mapping.unknown_code");
        assertThat(records.get(2).problem().reason()).contains("referral.taxArrears.items[0].taxItem");
        assertThat(records.get(3).problem().code()).isEqualTo("mapping.record_length");
        assertThat(records.get(4).problem().code()).isEqualTo("mapping.encoding");
        assertThat(records.stream().map(r -> String.valueOf(r.problem()))).noneMatch(p -> p.contains("鈴木"));
    }

    @Test
    void theSameRecordAlwaysHasTheSameFingerprintSoARerunIsRecognised() {
        Mapping mapping = Mapping.load(CONF.resolve("tax-desk-referral.yaml"));
        String first = mapping.read(TaxDeskSystem.file(List.of(rec(9)))).get(0).rawSha256();
        String again = mapping.read(TaxDeskSystem.file(List.of(rec(1), rec(9)))).get(1).rawSha256();

        assertThat(again).isEqualTo(first);
    }

    @Test
    void everyShippedMappingIsValid() throws IOException {
        try (var files = Files.list(CONF)) {
            files.filter(f -> f.toString().endsWith(".yaml"))
                    .forEach(f -> assertThat(Mapping.check(f)).as(f.toString()).isEmpty());
        }
    }

    @Test
    void configCheckNamesTheLineOfEachMistake(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, """
                format: csv
                encoding: Windows-31J
                messageType: REFERRAL
                fields:
                  - {path: referral.subject.nmae.family, column: 氏名}
                  - {path: referral.urgency, column: 緊急度, codes: {"1": QUICK}}
                  - {path: referral.subject.birthDate, column: 生年月日, convert: [wareki]}
                  - {path: referral.issues, value: [TAX_FEE_ARREARS, BROKE]}
                  - {path: referral.subject.kana.family, start: 3, length: 10}
                """);

        List<String> problems = Mapping.check(file);

        assertThat(problems).containsExactly(
                file + ", line 5: path: the message schema has no field referral.subject.nmae",
                file + ", line 6: referral.urgency: code table value \"QUICK\" is not a code of the message schema",
                file + ", line 7: referral.subject.birthDate: unknown converter \"wareki\" (known: alnum-halfwidth, end-of-day, "
                        + "era-date, era-date-code, kana-fullwidth, postal-code, start-of-day, trim, yyyymmdd)",
                file + ", line 8: referral.issues: \"BROKE\" is not a code of the message schema",
                file + ", line 9: referral.subject.kana.family: a CSV field needs column (the header name, or the 1-based column number)");
    }

    @Test
    void anUnknownKeyIsRefusedWithItsLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, "format: csv\nmessageType: REFERRAL\nfeilds:\n  - {path: referralId, column: 番号}\n");

        assertThatThrownBy(() -> Mapping.load(file)).hasMessageStartingWith(file + ", line 3: ").hasMessageContaining("unknown key \"feilds\"");
    }

    private static byte[] rec(int number) {
        return TaxDeskSystem.record(number == 123 ? new TaxDeskSystem.Referral("TAX-2026-000123", "佐藤", "健一", "ｻﾄｳ", "ｹﾝｲﾁ",
                "3540821", "CNS-2026-0012", "5080615", "5090614") : TaxDeskSystem.resident(number));
    }

    static JsonNode tree(String json) throws IOException {
        return JSON.readTree(json);
    }
}
