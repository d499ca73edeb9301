package jp.tsunagi.connectors.text;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Character width (全角・半角) and kana (カナ) normalization for text arriving from agency systems.
 *
 * <p>Old systems send half-width katakana (半角カナ, {@code ﾔﾏﾀﾞ}) and full-width digits and letters
 * ({@code １２３}); Tsunagi messages carry full-width katakana and ASCII alphanumerics.
 *
 * <p>Why NFKC is not applied to names wholesale: a name is a legal identity and must reach the receiving
 * agency as registered. NFKC rewrites far more than width. It turns CJK compatibility ideographs into their
 * unified forms ({@code 塚} U+FA10 becomes {@code 塚} U+585A, a different code point the person may not use),
 * expands {@code ①} to {@code 1} and {@code ㈱} to {@code (株)}, and turns the full-width space that separates
 * family and given names into an ASCII space. So each conversion here touches only its own character range;
 * NFKC is used only inside the half-width katakana block, where its mappings are exactly the full-width forms.
 */
public final class KanaWidth {

    /** The kana pattern of the message schema (tsunagi-message-1.xsd): ァ..ヺ, ー, ・, full-width and ASCII space. */
    private static final Pattern SCHEMA_KANA = Pattern.compile("[ァ-ヺー・　 ]+");

    private static final char HALF_WIDTH_KANA_FIRST = '\uFF61'; // ｡
    private static final char HALF_WIDTH_KANA_LAST = '\uFF9F';  // ﾟ
    private static final int FULL_TO_HALF_WIDTH_ASCII = 0xFEE0; // distance from Ａ (U+FF21) to A (U+0041)

    /** Full-width katakana and punctuation to their half-width spelling (ガ to ｶﾞ), the inverse of the NFKC table. */
    private static final Map<Character, String> TO_HALF_WIDTH = halfWidthTable();

    private KanaWidth() {
    }

    /**
     * Converts full-width katakana and kana punctuation to half-width katakana (半角カナ) for systems that store
     * nothing else, splitting voiced kana into two characters ({@code ガ} to {@code ｶﾞ}). Characters without a
     * half-width form (kanji, hiragana, ヰ) are kept, so {@link #toFullWidthKatakana(String)} restores the text.
     */
    public static String toHalfWidthKatakana(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(TO_HALF_WIDTH.getOrDefault(c, String.valueOf(c)));
        }
        return out.toString();
    }

    private static Map<Character, String> halfWidthTable() {
        Map<Character, String> table = new HashMap<>();
        for (char h = HALF_WIDTH_KANA_FIRST; h <= HALF_WIDTH_KANA_LAST; h++) {
            String half = String.valueOf(h);
            table.putIfAbsent(Normalizer.normalize(half, Normalizer.Form.NFKC).charAt(0), half);
            for (String mark : new String[] {"\uFF9E", "\uFF9F"}) {
                String full = Normalizer.normalize(half + mark, Normalizer.Form.NFKC);
                if (full.length() == 1) {
                    table.putIfAbsent(full.charAt(0), half + mark);
                }
            }
        }
        table.put('゛', "\uFF9E");
        table.put('゜', "\uFF9F");
        return Map.copyOf(table);
    }

    /**
     * Converts half-width katakana and punctuation to full width, joining voiced marks into one character
     * ({@code ｶﾞ} to {@code ガ}, {@code ﾊﾟ} to {@code パ}, {@code ｳﾞ} to {@code ヴ}). Everything else is kept.
     */
    public static String toFullWidthKatakana(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (!isHalfWidthKana(text.charAt(i))) {
                out.append(text.charAt(i++));
                continue;
            }
            int end = i;
            while (end < text.length() && isHalfWidthKana(text.charAt(end))) {
                end++;
            }
            // NFKC on the run composes ｶ + ﾞ into ガ; a mark with nothing to join (ｱﾞ) is left as a
            // combining character, which is made the visible full-width ゛ / ゜ instead.
            String run = Normalizer.normalize(text.substring(i, end), Normalizer.Form.NFKC);
            out.append(run.replace('\u3099', '゛').replace('\u309A', '゜'));
            i = end;
        }
        return out.toString();
    }

    /** Converts full-width digits and Latin letters ({@code １２３}, {@code ＡＢＣ}) to ASCII; nothing else changes. */
    public static String toHalfWidthAlphanumeric(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean fullWidthAlphanumeric = (c >= '０' && c <= '９') || (c >= 'Ａ' && c <= 'Ｚ') || (c >= 'ａ' && c <= 'ｚ');
            out.append(fullWidthAlphanumeric ? (char) (c - FULL_TO_HALF_WIDTH_ASCII) : c);
        }
        return out.toString();
    }

    /**
     * Converts hiragana to katakana, for reading fields filled as ふりがな where the schema wants フリガナ.
     * The iteration marks ゝ ゞ become ヽ ヾ; they are kept, not expanded, so such readings still fail
     * {@link #isKatakana(String)} and go back to the sender rather than being guessed.
     */
    public static String hiraganaToKatakana(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean convertible = (c >= 'ぁ' && c <= 'ゖ') || c == 'ゝ' || c == 'ゞ';
            out.append(convertible ? (char) (c + ('ァ' - 'ぁ')) : c);
        }
        return out.toString();
    }

    /** The only normalization a name (氏名) receives: full-width katakana and ASCII alphanumerics. */
    public static String normalizeName(String name) {
        return toHalfWidthAlphanumeric(toFullWidthKatakana(name));
    }

    /** Normalizes a kana reading (フリガナ) field: half-width kana and hiragana become full-width katakana. */
    public static String normalizeKana(String reading) {
        return hiraganaToKatakana(toFullWidthKatakana(reading));
    }

    /** Whether the text matches the schema's kana pattern; false for null or empty text. */
    public static boolean isKatakana(String text) {
        return text != null && SCHEMA_KANA.matcher(text).matches();
    }

    private static boolean isHalfWidthKana(char c) {
        return c >= HALF_WIDTH_KANA_FIRST && c <= HALF_WIDTH_KANA_LAST;
    }
}
