package jp.tsunagi.connectors.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Kana and character width (全角・半角)")
class KanaWidthTest {

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource({
            "ｶﾞ, ガ",
            "ﾊﾟ, パ",
            "ﾊﾞ, バ",
            "ｳﾞ, ヴ",
            "ﾜﾞ, ヷ",
            "ｻﾄｳ, サトウ",
            "ﾔﾏﾀﾞ, ヤマダ",
            "ｼﾞｮｰｼﾞ, ジョージ",
            "ﾎﾟｯﾌﾟ, ポップ",
            "ｧｨｩｪｫｬｭｮｯ, ァィゥェォャュョッ",
            "ｦﾝ, ヲン",
            "｡｢｣､･ｰ, 。「」、・ー",
    })
    void halfWidthKatakanaBecomesFullWidthWithVoicedMarksJoined(String halfWidth, String fullWidth) {
        assertThat(KanaWidth.toFullWidthKatakana(halfWidth)).isEqualTo(fullWidth);
    }

    @Test
    void aVoicedMarkWithNothingToJoinBecomesTheVisibleFullWidthMark() {
        assertThat(KanaWidth.toFullWidthKatakana("ｱﾞ")).isEqualTo("ア゛");
        assertThat(KanaWidth.toFullWidthKatakana("ﾟ")).isEqualTo("゜");
        assertThat(KanaWidth.toFullWidthKatakana("ｱﾞ")).doesNotContain("\u3099");
    }

    @Test
    void halfWidthKanaAmongOtherTextIsConvertedAndTheRestIsKept() {
        assertThat(KanaWidth.toFullWidthKatakana("山田 ﾀﾛｳ（ﾀﾞｲﾘ）１２")).isEqualTo("山田 タロウ（ダイリ）１２");
    }

    @Test
    void fullWidthDigitsAndLettersBecomeAscii() {
        assertThat(KanaWidth.toHalfWidthAlphanumeric("０１２３４５６７８９")).isEqualTo("0123456789");
        assertThat(KanaWidth.toHalfWidthAlphanumeric("ＡＢＣＸＹＺａｂｃｘｙｚ")).isEqualTo("ABCXYZabcxyz");
        assertThat(KanaWidth.toHalfWidthAlphanumeric("コーポ１０１号室")).isEqualTo("コーポ101号室");
    }

    @Test
    void fullWidthPunctuationAndSpacesAreNotTouchedByTheAlphanumericConversion() {
        assertThat(KanaWidth.toHalfWidthAlphanumeric("山田　太郎（－）")).isEqualTo("山田　太郎（－）");
    }

    @Test
    void hiraganaReadingsBecomeKatakana() {
        assertThat(KanaWidth.hiraganaToKatakana("やまだ　たろう")).isEqualTo("ヤマダ　タロウ");
        assertThat(KanaWidth.hiraganaToKatakana("ぁぃぅぇぉっゃゅょゎゕゖ")).isEqualTo("ァィゥェォッャュョヮヵヶ");
        assertThat(KanaWidth.hiraganaToKatakana("ゔぁいおりん")).isEqualTo("ヴァイオリン");
        assertThat(KanaWidth.hiraganaToKatakana("じょーじ")).isEqualTo("ジョージ");
    }

    @Test
    void hiraganaIterationMarksBecomeKatakanaIterationMarksWhichTheSchemaStillRejects() {
        assertThat(KanaWidth.hiraganaToKatakana("さゝき")).isEqualTo("サヽキ");
        assertThat(KanaWidth.hiraganaToKatakana("みすゞ")).isEqualTo("ミスヾ");
        assertThat(KanaWidth.isKatakana("サヽキ")).isFalse();
    }

    @Test
    void kanaReadingsFromEitherHiraganaOrHalfWidthKanaEndUpMatchingTheSchema() {
        assertThat(KanaWidth.normalizeKana("ﾔﾏﾀﾞ ﾀﾛｳ")).isEqualTo("ヤマダ タロウ").matches(KanaWidth::isKatakana);
        assertThat(KanaWidth.normalizeKana("やまだ　たろう")).isEqualTo("ヤマダ　タロウ").matches(KanaWidth::isKatakana);
        assertThat(KanaWidth.normalizeKana("ﾔﾏﾀﾞ　はなこ")).isEqualTo("ヤマダ　ハナコ").matches(KanaWidth::isKatakana);
    }

    @Test
    void nameNormalizationConvertsOnlyWidthAndNeverRewritesKanjiOrSymbols() {
        // 塚 (U+FA10) and 神 (U+FA19) are compatibility ideographs that NFKC (and even NFC) would replace.
        String name = "髙\uFA10\uFA19﨑①㈱　ﾀﾛｳ　ＪＯＨＮ";
        assertThat(KanaWidth.normalizeName(name)).isEqualTo("髙\uFA10\uFA19﨑①㈱　タロウ　JOHN");
    }

    @ParameterizedTest(name = "\"{0}\" matches the schema kana pattern")
    @ValueSource(strings = {"ヤマダ", "ヤマダ　タロウ", "ヤマダ タロウ", "ジョン・スミス", "ヴァイオリン", "ァ", "ヺ", "ヵヶ", "ー"})
    void fullWidthKatakanaWithLongVowelDotAndSpacesIsKatakana(String text) {
        assertThat(KanaWidth.isKatakana(text)).isTrue();
    }

    @ParameterizedTest(name = "\"{0}\" does not match the schema kana pattern")
    @ValueSource(strings = {"", "やまだ", "ﾔﾏﾀﾞ", "山田", "ヤマダ1", "ヤマダ太郎", "ヤマダ\tタロウ", "ア゛", "ヤマダ\u3099", "ヽ"})
    void anythingElseIsNotKatakana(String text) {
        assertThat(KanaWidth.isKatakana(text)).isFalse();
    }

    @Test
    void nullIsNotKatakana() {
        assertThat(KanaWidth.isKatakana(null)).isFalse();
    }
}
