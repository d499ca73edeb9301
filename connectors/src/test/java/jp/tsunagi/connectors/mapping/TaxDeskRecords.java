package jp.tsunagi.connectors.mapping;

import java.io.ByteArrayOutputStream;
import jp.tsunagi.connectors.text.FixedWidthText;

/** Builds 460-byte records of the tax desk's layout (conf/mappings/tax-desk-referral.yaml) by hand, field by field. */
final class TaxDeskRecords {
    private TaxDeskRecords() {
    }

    /** A record of a fictitious resident; {@code number} makes the 整理番号 and the name distinct. */
    static byte[] record(int number) {
        return record(String.format("TAX-2026-%06d", number), "佐藤", "健一", "ｻﾄｳ", "ｹﾝｲﾁ", "3540821");
    }

    static byte[] record(String referralNo, String family, String given, String kanaFamily, String kanaGiven, String birth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put(out, "1", 1);
        put(out, referralNo, 16);
        put(out, family, 20);
        put(out, given, 20);
        put(out, kanaFamily, 20);
        put(out, kanaGiven, 20);
        put(out, birth, 7);
        put(out, "1980012", 7);
        put(out, "139998", 6);
        put(out, "東京都つなぎ市本町二丁目３番４号　つなぎハイツ１０１", 80);
        put(out, "090-3814-2267", 13);
        put(out, "01", 2);
        put(out, "2025", 4);
        put(out, "0000096800", 10);
        put(out, "04", 2);
        put(out, "2024", 4);
        put(out, "0000061300", 10);
        put(out, "", 16);
        put(out, "収入が減り住民税と国保税を払えない月が続いている。家計全体を見直したい。", 100);
        put(out, "1", 1);
        put(out, "CNS-2026-0012", 16);
        put(out, "5080615", 7);
        put(out, "5090614", 7);
        put(out, "つなぎ市税務課 納税係", 30);
        put(out, "高橋 美咲", 20);
        put(out, "042-555-0131", 13);
        put(out, "", 8);
        return out.toByteArray();
    }

    private static void put(ByteArrayOutputStream out, String value, int width) {
        out.writeBytes(FixedWidthText.pad(value, width));
    }

    static byte[] file(byte[]... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] record : records) {
            out.writeBytes(record);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }
}
