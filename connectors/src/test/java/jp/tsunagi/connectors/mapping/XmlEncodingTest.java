package jp.tsunagi.connectors.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Own-vocabulary XML in Windows-31J, as older public-assistance systems write it: read in the encoding the XML
 * declaration names, written in the mapping's encoding, never with replacement characters.
 */
class XmlEncodingTest {
    private static final Charset SJIS = Charset.forName("Windows-31J");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Mapping mapping(String encoding) throws Exception {
        Path file = dir.resolve("welfare-test-status.yaml");
        Files.writeString(file, """
                description: test
                format: xml
                encoding: %s
                root: 連携状況通知
                messageType: STATUS_UPDATE
                fields:
                  - {path: referralId, element: 連携番号, required: true}
                  - {path: statusUpdate.status, element: 状況区分, codes: {"20": ACCEPTED}, required: true}
                  - {path: statusUpdate.effectiveAt, element: 状況日, convert: [era-date, start-of-day], required: true}
                  - {path: statusUpdate.note, element: 備考}
                """.formatted(encoding));
        return Mapping.load(file);
    }

    private static String document(String declared, String note) {
        return "<?xml version=\"1.0\" encoding=\"" + declared + "\"?>\n<連携状況通知><連携番号>REF-1</連携番号>"
                + "<状況区分>20</状況区分><状況日>令和8年11月20日</状況日><備考>" + note + "</備考></連携状況通知>\n";
    }

    @Test
    void aWindows31JDocumentIsReadInTheEncodingItsDeclarationNames() throws Exception {
        byte[] document = document("Windows-31J", "髙橋さんに①から説明ｽﾞﾐ").getBytes(SJIS);

        List<MappedRecord> records = mapping("Windows-31J").read(document);

        assertThat(records.get(0).problem()).isNull();
        assertThat(records.get(0).message().get("statusUpdate")).isEqualTo(JSON.readTree("""
                {"status":"ACCEPTED","effectiveAt":"2026-11-20T00:00:00+09:00","note":"髙橋さんに①から説明ｽﾞﾐ"}
                """));
        assertThat(mapping("UTF-8").read(document).get(0).problem()).isNull();
    }

    @Test
    void aShiftJisDeclarationOnWindows31JCharactersIsRefusedNotReadWithReplacementCharacters() throws Exception {
        byte[] document = document("Shift_JIS", "髙橋さん").getBytes(SJIS);

        List<MappedRecord> records = mapping("Windows-31J").read(document);

        assertThat(records.get(0).problem().code()).isEqualTo("mapping.encoding");
        assertThat(records.get(0).problem().reason()).contains("Shift_JIS").doesNotContain("髙橋");
        assertThat(mapping("Windows-31J").read(document("Shift_JIS", "高橋さん").getBytes(SJIS)).get(0).problem()).isNull();
    }

    @Test
    void aShiftJisDocumentFromAWindowsSystemKeepsItsHyphenAndWaveDashAsWindows31JSoTheyCanBeSentOnToWindows31JSystems()
            throws Exception {
        // 0x817C and 0x8160 as a Windows system writes them: "2－3" in an address, "10～12時"
        byte[] document = document("Shift_JIS", "本町2－3、10～12時").getBytes(SJIS);

        String note = mapping("Windows-31J").read(document).get(0).message().at("/statusUpdate/note").asText();

        assertThat(note).isEqualTo("本町2－3、10～12時");
        assertThat(SJIS.newEncoder().canEncode(note)).isTrue();
    }

    @Test
    void aMappingInWindows31JWritesWindows31JBytesWithADeclarationNamingIt() throws Exception {
        var message = JSON.readTree("""
                {"referralId":"REF-1","statusUpdate":{"status":"ACCEPTED","effectiveAt":"2026-11-20T09:30:00+09:00",
                 "note":"髙橋が①の件を受理"}}
                """);

        byte[] written = mapping("Windows-31J").write(List.of(message));

        assertThat(new String(written, SJIS)).isEqualTo("""
                <?xml version="1.0" encoding="Windows-31J" standalone="no"?>
                <連携状況通知>
                  <連携番号>REF-1</連携番号>
                  <状況区分>20</状況区分>
                  <状況日>令和8年11月20日</状況日>
                  <備考>髙橋が①の件を受理</備考>
                </連携状況通知>
                """);
        assertThat(new String(mapping("UTF-8").write(List.of(message)), StandardCharsets.UTF_8))
                .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>").contains("髙橋が①の件を受理");
    }

    @Test
    void aValueWindows31JCannotHoldFailsTheCopyInsteadOfBecomingACharacterReference() throws Exception {
        var message = JSON.readTree("""
                {"referralId":"REF-1","statusUpdate":{"status":"ACCEPTED","effectiveAt":"2026-11-20T09:30:00+09:00",
                 "note":"𠮷田さんの件"}}
                """);

        assertThatThrownBy(() -> mapping("Windows-31J").write(List.of(message)))
                .isInstanceOfSatisfying(Mapping.RecordException.class, e -> {
                    assertThat(e.problem().code()).isEqualTo("mapping.encoding");
                    assertThat(e.problem().reason()).doesNotContain("𠮷");
                });
    }
}
