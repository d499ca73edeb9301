package jp.tsunagi.connectors.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Fixed-width Windows-31J records (固定長ファイル)")
class FixedWidthTextTest {

    private static final String CANARY = "鈴木一郎";

    private static byte[] sjis(String s) {
        return s.getBytes(FixedWidthText.WINDOWS_31J);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void kanjiTakeTwoBytesAndHalfWidthKanaAndAsciiOne() {
        assertThat(FixedWidthText.byteLength("山田")).isEqualTo(4);
        assertThat(FixedWidthText.byteLength("ﾔﾏﾀﾞ")).isEqualTo(4);
        assertThat(FixedWidthText.byteLength("A1 ")).isEqualTo(3);
        assertThat(FixedWidthText.byteLength("髙﨑①")).isEqualTo(6);
    }

    @Test
    void readsEachFieldOfALegacyResidentRecord() {
        // 氏名 10 bytes, カナ氏名 10 bytes, 生年月日 7 bytes (era code), 郵便番号 7 bytes
        byte[] record = concat(sjis("山田太郎  "), sjis("ﾔﾏﾀﾞ ﾀﾛｳ  "), sjis("3470815"), sjis("1000001"));
        FixedWidthText text = FixedWidthText.of(record);

        assertThat(text.byteLength()).isEqualTo(34);
        assertThat(text.field(0, 10)).isEqualTo("山田太郎");
        assertThat(KanaWidth.normalizeKana(text.field(10, 10))).isEqualTo("ヤマダ タロウ");
        assertThat(JapaneseEraDate.parse(text.field(20, 7))).isEqualTo(LocalDate.of(1972, 8, 15));
        assertThat(text.field(27, 7)).isEqualTo("1000001");
    }

    @Test
    void trimsAsciiAndFullWidthSpacesAtBothEndsButKeepsThemInside() {
        FixedWidthText text = FixedWidthText.of(sjis("　山田　太郎　 　  "));
        assertThat(text.field(0, text.byteLength())).isEqualTo("山田　太郎");
    }

    @Test
    void anAllSpaceFieldIsEmpty() {
        assertThat(FixedWidthText.of(sjis("　　  ")).field(0, 6)).isEmpty();
        assertThat(FixedWidthText.of(sjis("AB")).field(1, 0)).isEmpty();
    }

    @Test
    void aFieldStartingInsideAKanjiIsRejected() {
        FixedWidthText text = FixedWidthText.of(sjis("山田太郎"));
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(1, 2))
                .withMessageContaining("byte offset 1 falls inside a double-byte character");
    }

    @Test
    void aFieldEndingInsideAKanjiIsRejected() {
        FixedWidthText text = FixedWidthText.of(sjis("山田太郎"));
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(0, 3))
                .withMessageContaining("byte offset 3 falls inside a double-byte character");
    }

    @Test
    void aTrailByteThatLooksLikeAsciiIsStillInsideItsKanji() {
        // ソ and 表 end in 0x5C, the byte of '\': the infamous 5C problem of Shift_JIS.
        FixedWidthText text = FixedWidthText.of(sjis("ソ表"));
        assertThat(text.field(0, 2)).isEqualTo("ソ");
        assertThat(text.field(2, 2)).isEqualTo("表");
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(1, 1));
    }

    @Test
    void aTrailByteThatLooksLikeALeadByteIsStillInsideItsKanji() {
        // 亜 is 0x88 0x9F, and 0x9F is also a lead byte; boundaries come from scanning from the record start.
        FixedWidthText text = FixedWidthText.of(sjis("亜亜亜"));
        assertThat(text.field(2, 2)).isEqualTo("亜");
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(1, 2));
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(3, 2));
    }

    @Test
    void halfWidthKanaNeverCreateADoubleByteBoundary() {
        FixedWidthText text = FixedWidthText.of(sjis("ｶﾞｷﾞ"));
        assertThat(text.field(0, 2)).isEqualTo("ｶﾞ");
        assertThat(text.field(1, 2)).isEqualTo("ﾞｷ");
    }

    @Test
    void aRecordCutOffAfterALeadByteCannotBeReadToItsEnd() {
        byte[] truncated = java.util.Arrays.copyOf(sjis("AB山田"), 5);
        FixedWidthText text = FixedWidthText.of(truncated);
        assertThat(text.field(0, 2)).isEqualTo("AB");
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(2, 3))
                .withMessageContaining("inside a double-byte character");
    }

    @Test
    void aFieldBeyondTheRecordIsRejected() {
        FixedWidthText text = FixedWidthText.of(sjis("12345678"));
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(5, 10))
                .withMessageContaining("does not fit in the 8-byte record");
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(-1, 2));
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(0, -1));
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(Integer.MAX_VALUE, 2));
    }

    @Test
    void bytesThatAreNotWindows31JAreRejectedNotReplaced() {
        FixedWidthText text = FixedWidthText.of(new byte[] {'A', (byte) 0x81, 0x20, (byte) 0xFF});
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(1, 2))
                .withMessageContaining("not valid Windows-31J");
        assertThatIllegalArgumentException().isThrownBy(() -> text.field(3, 1));
    }

    @Test
    void theRecordIsCopiedSoLaterChangesToTheBufferDoNotLeakIn() {
        byte[] buffer = sjis("ABCD");
        FixedWidthText text = FixedWidthText.of(buffer);
        buffer[0] = 'Z';
        assertThat(text.field(0, 4)).isEqualTo("ABCD");
    }

    @Test
    void padFillsTheFieldWithAsciiSpacesToTheExactByteWidth() {
        assertThat(FixedWidthText.pad("山田", 7)).isEqualTo(sjis("山田   "));
        assertThat(FixedWidthText.pad("ﾔﾏﾀﾞ", 6)).isEqualTo(sjis("ﾔﾏﾀﾞ  "));
        assertThat(FixedWidthText.pad("山田太郎", 8)).isEqualTo(sjis("山田太郎"));
        assertThat(FixedWidthText.pad("", 3)).isEqualTo(sjis("   "));
    }

    @Test
    void padAndFieldAreInverses() {
        String[] values = {"山田　太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "髙﨑", "1000001", "ソ表"};
        byte[] record = concat(FixedWidthText.pad(values[0], 20), FixedWidthText.pad(values[1], 12),
                FixedWidthText.pad(values[2], 6), FixedWidthText.pad(values[3], 7), FixedWidthText.pad(values[4], 5));
        FixedWidthText text = FixedWidthText.of(record);
        assertThat(new String[] {text.field(0, 20), text.field(20, 12), text.field(32, 6), text.field(38, 7),
                text.field(45, 5)}).containsExactly(values);
    }

    @Test
    void aValueWiderThanItsFieldIsRejectedNotTruncated() {
        assertThatIllegalArgumentException().isThrownBy(() -> FixedWidthText.pad(CANARY, 7))
                .withMessage("value is wider than the 7-byte field");
    }

    @Test
    void aCharacterOutsideWindows31JIsRejectedNotReplacedByAQuestionMark() {
        // 𠮷 (tsuchi-yoshi) is JIS X 0213, and 〜 U+301C is the JIS wave dash that Windows-31J maps as ～ U+FF5E.
        assertThatIllegalArgumentException().isThrownBy(() -> FixedWidthText.pad("𠮷野", 10))
                .withMessage("value has a character that Windows-31J cannot encode");
        assertThatIllegalArgumentException().isThrownBy(() -> FixedWidthText.pad("1〜2", 10));
        assertThat(FixedWidthText.pad("1～2", 4)).hasSize(4);
    }

    @Test
    void errorMessagesNeverContainTheFieldContents() {
        FixedWidthText text = FixedWidthText.of(concat(sjis(CANARY), new byte[] {(byte) 0x81, 0x20}));
        for (Runnable failing : new Runnable[] {
                () -> text.field(1, 4), () -> text.field(0, 5), () -> text.field(0, 10), () -> text.field(0, 20),
                () -> FixedWidthText.pad(CANARY, 4), () -> FixedWidthText.pad(CANARY + "𠮷", 40)}) {
            assertThatIllegalArgumentException().isThrownBy(failing::run)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("鈴").doesNotContain("郎"))
                    .satisfies(e -> assertThat(e.getCause()).isNull());
        }
    }
}
