package jp.tsunagi.connectors.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV as vendor systems and Excel write it: checked headers, quoted line breaks, both encodings. */
class CsvHeaderTest {
    private static final Charset WINDOWS_31J = Charset.forName("Windows-31J");
    private static final String CANARY = "カナリア　花子";

    @TempDir
    Path dir;

    private Mapping mapping(String encoding, String extra) throws IOException {
        Path file = dir.resolve("consultation.yaml");
        Files.writeString(file, """
                format: csv
                encoding: %s
                messageType: REFERRAL
                %s
                fields:
                  - {path: referralId, column: 依頼番号, required: true}
                  - {path: referral.subject.name.family, column: 氏名, required: true}
                  - {path: "referral.subject.contact.phones[0]", column: 電話番号}
                  - {path: referral.chiefComplaint, column: 相談内容}
                """.formatted(encoding, extra));
        return Mapping.load(file);
    }

    @Test
    void aFileWhoseHeaderStillHasTheOldNameOfARenamedColumnIsRefusedWholeNamingTheColumn() throws IOException {
        // the mapping was changed from 連絡先 to 電話番号; the vendor's file still says 連絡先
        byte[] file = ("依頼番号,氏名,連絡先,相談内容\r\n"
                + "A-1," + CANARY + ",090-0000-1111,家賃が払えない\r\n"
                + "A-2,山田,090-0000-2222,失業\r\n").getBytes(WINDOWS_31J);

        List<MappedRecord> records = mapping("Windows-31J", "").read(file);

        assertThat(records).hasSize(1);
        assertThat(records.get(0).number()).isZero();
        assertThat(records.get(0).problem().code()).isEqualTo("mapping.header_mismatch");
        assertThat(records.get(0).problem().reason()).contains("電話番号").doesNotContain(CANARY, "090-0000-1111");
    }

    @Test
    void aFileWithoutItsHeaderRowIsRefusedWithoutRepeatingItsFirstLine() throws IOException {
        byte[] file = ("A-1," + CANARY + ",090-0000-1111,家賃が払えない\r\n").getBytes(StandardCharsets.UTF_8);

        List<MappedRecord> records = mapping("UTF-8", "strict: true").read(file);

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.problem().code()).isEqualTo("mapping.header_mismatch");
            assertThat(r.problem().reason()).contains("none of the mapped columns").doesNotContain(CANARY, "090-0000-1111");
        });
    }

    @Test
    void aStrictMappingAlsoRefusesAColumnItDoesNotKnowAndNamesIt() throws IOException {
        byte[] file = "依頼番号,氏名,電話番号,相談内容,連絡先\r\nA-1,山田,090,失業,x\r\n".getBytes(StandardCharsets.UTF_8);

        List<MappedRecord> lenient = mapping("UTF-8", "").read(file);
        List<MappedRecord> strict = mapping("UTF-8", "strict: true").read(file);

        assertThat(lenient).singleElement().satisfies(r -> assertThat(r.ok()).isTrue());
        assertThat(strict).singleElement().satisfies(r -> {
            assertThat(r.problem().code()).isEqualTo("mapping.header_mismatch");
            assertThat(r.problem().reason()).contains("does not know: 連絡先");
        });
    }

    @Test
    void aColumnDeclaredOptionalMayBeAbsentAndAnIgnoredOneMayBePresentUnderStrict() throws IOException {
        Mapping mapping = mapping("UTF-8", "strict: true\noptionalColumns: [電話番号]\nignoredColumns: [求職番号]");
        byte[] file = "依頼番号,氏名,求職番号,相談内容\r\nA-1,山田,13010,失業\r\n".getBytes(StandardCharsets.UTF_8);

        List<MappedRecord> records = mapping.read(file);

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.ok()).isTrue();
            assertThat(r.message().at("/referral/subject/contact").isMissingNode()).isTrue();
        });
    }

    @Test
    void anOptionalColumnThatNoFieldReadsIsAConfigurationErrorWithItsLine() throws IOException {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, """
                format: csv
                messageType: REFERRAL
                optionalColumns:
                  - 連絡先
                fields:
                  - {path: referralId, column: 依頼番号}
                """);

        assertThat(Mapping.check(file)).containsExactly(file + ", line 4: optionalColumns: 連絡先 is not the column of any field");
    }

    @Test
    void aQuotedLineBreakInACellIsReadWholeInWindows31JAndInUtf8() throws IOException {
        String csv = "依頼番号,氏名,電話番号,相談内容\r\n"
                + "A-1,山田,090,\"家賃を三か月滞納。\r\n電話は夜のみ「\"\"折り返し可\"\"」\"\r\n"
                + "A-2,髙橋,080,失業\r\n";
        for (Charset charset : List.of(WINDOWS_31J, StandardCharsets.UTF_8)) {
            List<MappedRecord> records = mapping(charset.name(), "").read(csv.getBytes(charset));

            assertThat(records).as(charset.name()).extracting(MappedRecord::number).containsExactly(1, 2);
            assertThat(records.get(0).message().at("/referral/chiefComplaint").asText())
                    .isEqualTo("家賃を三か月滞納。\r\n電話は夜のみ「\"折り返し可\"」");
            assertThat(records.get(1).message().at("/referral/subject/name/family").asText()).isEqualTo("髙橋");
        }
    }

    @Test
    void aQuoteLeftOpenToTheEndOfTheFileRejectsOnlyItsOwnLine() throws IOException {
        byte[] file = "依頼番号,氏名,電話番号,相談内容\r\nA-1,山田,090,\"閉じていない\r\nA-2,髙橋,080,失業\r\n"
                .getBytes(StandardCharsets.UTF_8);

        List<MappedRecord> records = mapping("UTF-8", "").read(file);

        assertThat(records).extracting(MappedRecord::number).containsExactly(1, 2);
        assertThat(records.get(0).problem().code()).isEqualTo("mapping.malformed");
        assertThat(records.get(1).ok()).isTrue();
    }
}
