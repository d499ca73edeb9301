package jp.tsunagi.connectors.simulator;

import java.io.ByteArrayOutputStream;
import java.util.List;
import jp.tsunagi.connectors.text.FixedWidthText;

/**
 * A simulated core tax system (基幹税務システム): writes the 460-byte fixed-width referral records of the layout in
 * {@code conf/mappings/tax-desk-referral.yaml} (Windows-31J, kanji names, half-width kana readings, 7-digit era
 * dates, zero-padded amounts), as the real system does after a payment consultation (納付相談) where the resident
 * agreed to be referred. Files go through an {@link AgencyFolder}.
 */
public final class TaxDeskSystem {
    /** One resident's referral as the tax desk records it; dates are era codes (3540821 = 昭和54年8月21日). */
    public record Referral(String referralNo, String family, String given, String kanaFamily, String kanaGiven,
                           String birthEraCode, String consentNo, String consentEraCode, String consentExpiryEraCode) {
    }

    private TaxDeskSystem() {
    }

    /** A fictitious resident; {@code number} makes the 整理番号 and the 同意番号 distinct. */
    public static Referral resident(int number) {
        return new Referral(String.format("TAX-2026-%06d", number), "佐藤", "健一", "ｻﾄｳ", "ｹﾝｲﾁ", "3540821",
                String.format("CNS-2026-%06d", number), "5080615", "5090614");
    }

    /** One 460-byte record, field by field as the layout says. */
    public static byte[] record(Referral r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put(out, "1", 1);                          // レコード区分
        put(out, r.referralNo(), 16);              // 整理番号
        put(out, r.family(), 20);                  // 氏名(姓)
        put(out, r.given(), 20);                   // 氏名(名)
        put(out, r.kanaFamily(), 20);              // ｶﾅ姓
        put(out, r.kanaGiven(), 20);               // ｶﾅ名
        put(out, r.birthEraCode(), 7);             // 生年月日
        put(out, "1980012", 7);                    // 郵便番号
        put(out, "139998", 6);                     // 団体コード
        put(out, "東京都つなぎ市本町二丁目３番４号　つなぎハイツ１０１", 80);
        put(out, "090-3814-2267", 13);             // 電話番号
        put(out, "01", 2);                         // 税目1 個人住民税
        put(out, "2025", 4);
        put(out, "0000096800", 10);
        put(out, "04", 2);                         // 税目2 国民健康保険税
        put(out, "2024", 4);
        put(out, "0000061300", 10);
        put(out, "", 16);                          // 税目3 なし
        put(out, "収入が減り住民税と国保税を払えない月が続いている。家計全体を見直したい。", 100);
        put(out, "1", 1);                          // 緊急度 通常
        put(out, r.consentNo(), 16);               // 同意番号
        put(out, r.consentEraCode(), 7);           // 同意日
        put(out, r.consentExpiryEraCode(), 7);     // 同意期限
        put(out, "つなぎ市税務課 納税係", 30);
        put(out, "高橋 美咲", 20);
        put(out, "042-555-0131", 13);
        put(out, "", 8);                           // 予備
        return out.toByteArray();
    }

    /**
     * One 100-byte consent withdrawal record (同意撤回, レコード区分 9) of the layout in
     * {@code conf/mappings/tax-desk-withdrawal.yaml}: the resident withdrew, in writing at the tax desk, the consent
     * under which the desk referred them.
     */
    public static byte[] withdrawal(String referralNo, String consentNo, String withdrawnEraCode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put(out, "9", 1);                          // レコード区分
        put(out, referralNo, 16);                  // 整理番号
        put(out, consentNo, 16);                   // 同意番号
        put(out, withdrawnEraCode, 7);             // 撤回日
        put(out, "tsunagi-tax", 20);               // 撤回を受けた機関
        put(out, "1", 1);                          // 方法 1 書面
        put(out, "", 39);                          // 予備
        return out.toByteArray();
    }

    /** A batch file: the records, each followed by CRLF. */
    public static byte[] file(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] record : records) {
            out.writeBytes(record);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    private static void put(ByteArrayOutputStream out, String value, int width) {
        out.writeBytes(FixedWidthText.pad(value, width));
    }
}
