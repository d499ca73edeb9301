package jp.tsunagi.connectors.simulator;

import java.io.IOException;
import java.nio.charset.Charset;

/**
 * A simulated public-assistance system (生活保護システム) of the welfare office: the documents it POSTs to the
 * gateway in its own XML vocabulary ({@code conf/mappings/welfare-sends-*.yaml}: Windows-31J with a declaration
 * naming it, half-width kana readings, 和暦 dates, its own codes), and its reception API (連携受信), a
 * {@link NativeHttpAgency} that answers {@code <受付結果><結果>OK</結果></受付結果>}. Every person is fictitious.
 */
public final class WelfareOfficeSystem {
    /** The system's encoding: Microsoft's Shift_JIS (髙, ①). */
    public static final Charset WINDOWS_31J = Charset.forName("Windows-31J");
    /** Where the reception API of the system takes what the gateway sends (the demo's simulator: port 18082). */
    public static final String RECEPTION_PATH = "/hogo/api/v1/renkei/jushin";
    /** Where the gateway takes what the system sends, on the gateway's own HTTP port. */
    public static final String GATEWAY_PATH = "/connectors/welfare";

    private WelfareOfficeSystem() {
    }

    /** The reception API on 127.0.0.1:port (0 for a free one), accepting every document. */
    public static NativeHttpAgency reception(int port) throws IOException {
        return NativeHttpAgency.start("tsunagi-welfare", port, RECEPTION_PATH, accepted());
    }

    /** What the reception API answers when it took a document. */
    public static NativeHttpAgency.Reply accepted() {
        return NativeHttpAgency.Reply.text(200, "application/xml",
                "<?xml version=\"1.0\" encoding=\"Windows-31J\"?><受付結果><結果>OK</結果></受付結果>", WINDOWS_31J);
    }

    /** The document as the system sends it: Windows-31J bytes (the text declares the encoding). */
    public static byte[] bytes(String document) {
        return document.getBytes(WINDOWS_31J);
    }

    /**
     * A 保護相談連携票 (F2): an applicant not eligible for public assistance because of her savings, referred to the
     * hub on written consent; her mother lives apart. {@code number} is the system's 連携番号 (the referralId).
     */
    public static String notEligible(String number) {
        return """
                <?xml version="1.0" encoding="Windows-31J"?>
                <保護相談連携票>
                  <連携番号>%s</連携番号>
                  <連携目的>01</連携目的>
                  <対象者>
                    <氏名><姓>中村</姓><名>由美子</名></氏名>
                    <カナ氏名><姓>ﾅｶﾑﾗ</姓><名>ﾕﾐｺ</名></カナ氏名>
                    <生年月日>昭和43年3月12日</生年月日>
                    <住所>
                      <郵便番号>1980034</郵便番号>
                      <団体コード>139998</団体コード>
                      <所在地>東京都つなぎ市栄町一丁目12番8号 メゾン栄205</所在地>
                    </住所>
                    <電話番号>080-5521-7390</電話番号>
                    <連絡方法>1</連絡方法>
                  </対象者>
                  <世帯>
                    <世帯員>
                      <続柄>04</続柄>
                      <氏名><姓>中村</姓><名>キヨ</名></氏名>
                      <カナ氏名><姓>ﾅｶﾑﾗ</姓><名>ｷﾖ</名></カナ氏名>
                      <生年月日>昭和18年10月5日</生年月日>
                      <同居区分>2</同居区分>
                    </世帯員>
                  </世帯>
                  <相談内容>
                    <課題コード>01</課題コード>
                    <課題コード>02</課題コード>
                    <課題コード>04</課題コード>
                    <希望支援コード>01</希望支援コード>
                    <希望支援コード>02</希望支援コード>
                    <希望支援コード>13</希望支援コード>
                    <緊急度>2</緊急度>
                    <相談要旨>派遣の仕事が契約満了で終わり、貯金を取り崩して生活している。生活保護の相談に来たが、預貯金があるため今は対象にならないと説明を受けた。</相談要旨>
                  </相談内容>
                  <就労状況>
                    <就労区分>2</就労区分>
                    <特記事項>2026年5月末に派遣契約(製造ラインの検品)が終了。雇用保険の基本手当を9月まで受給予定。</特記事項>
                  </就労状況>
                  <収入資産>
                    <月額収入>132,000</月額収入>
                    <預貯金>680,000</預貯金>
                    <負債額></負債額>
                    <特記事項>預貯金が最低生活費の約5か月分あるため、生活保護の要件を満たさないと判断した(申請には至らず)。</特記事項>
                  </収入資産>
                  <担当>
                    <所属>つなぎ市福祉事務所 生活福祉課 相談係</所属>
                    <担当者>髙野 直樹</担当者>
                    <電話番号>042-555-0210</電話番号>
                  </担当>
                  <同意>
                    <同意番号>CNS-2026-0027</同意番号>
                    <同意者>1</同意者>
                    <同意方法>1</同意方法>
                    <同意日>令和8年7月8日</同意日>
                    <有効期限>令和9年7月7日</有効期限>
                    <利用目的>01</利用目的>
                    <利用目的>02</利用目的>
                    <提供情報区分>01</提供情報区分>
                    <提供情報区分>02</提供情報区分>
                    <提供情報区分>03</提供情報区分>
                    <提供情報区分>04</提供情報区分>
                    <提供情報区分>05</提供情報区分>
                    <提供情報区分>06</提供情報区分>
                    <提供情報区分>07</提供情報区分>
                    <提供情報区分>08</提供情報区分>
                  </同意>
                </保護相談連携票>
                """.formatted(number);
    }

    /**
     * A 連携状況報告 (F9) on a referral the system received: {@code status} and {@code reason} are the system's codes
     * (51 申請却下, 11 要件非該当(収入)), {@code date} a 和暦 date, {@code reason} null for none.
     */
    public static String status(String referralId, String status, String reason, String date, String note) {
        return """
                <?xml version="1.0" encoding="Windows-31J"?>
                <連携状況報告>
                  <連携番号>%s</連携番号>
                  <状況区分>%s</状況区分>
                %s  <状況日>%s</状況日>
                  <備考>%s</備考>
                </連携状況報告>
                """.formatted(referralId, status, reason == null ? "" : "  <理由区分>" + reason + "</理由区分>\n", date, note);
    }

    /** A 同意撤回報告 (F10): the person withdrew, at the welfare office, the consent of one of its referrals. */
    public static String withdrawal(String number, String consentNo, String date, String method) {
        return """
                <?xml version="1.0" encoding="Windows-31J"?>
                <同意撤回報告>
                  <連携番号>%s</連携番号>
                  <同意番号>%s</同意番号>
                  <撤回日>%s</撤回日>
                  <撤回方法>%s</撤回方法>
                </同意撤回報告>
                """.formatted(number, consentNo, date, method);
    }
}
