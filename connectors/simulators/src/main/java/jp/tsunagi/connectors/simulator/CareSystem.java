package jp.tsunagi.connectors.simulator;

import java.nio.charset.StandardCharsets;

/**
 * Documents of the community general support center's care system (介護・包括支援システム), a vendor product with
 * a REST/JSON API in its own vocabulary: romaji field names, 8-digit 西暦 dates, 半角カナ readings, string codes
 * (要介護状態区分コード 21 = 要介護1, 続柄 04 = 母, 緊急度 A/B/C). The product POSTs these to the gateway's
 * /connectors/houkatsu; {@link NativeHttpAgency} plays the product in tests and in the demo. The cases are those of
 * the F5 and F8 samples in schemas/samples; every person in them is fictitious.
 */
public final class CareSystem {
    private CareSystem() {
    }

    /**
     * 世帯つなぎ依頼 (kind SETAI_TSUNAGI): an 8050 household. The subject (taishosha) is the withdrawn 52-year-old
     * son; the product's own client (careRecipient) is his 81-year-old mother, 要介護1, who becomes the first
     * household member; the consent form names the independence support center by agency type.
     */
    public static byte[] household(String iraiNo) {
        return ("""
                {
                  "kind": "SETAI_TSUNAGI",
                  "iraiNo": "%s",
                  "sakuseiNichiji": "2026-09-16T15:30:00+09:00",
                  "taishosha": {
                    "shimei": {"sei": "田中", "mei": "浩二"},
                    "kanaShimei": {"sei": "ﾀﾅｶ", "mei": "ｺｳｼﾞ"},
                    "seibetsu": "1",
                    "seinengappi": "19740418",
                    "jusho": {"yubinNo": "1980072", "dantaiCode": "139998", "jushoText": "東京都つなぎ市旭町三丁目21番6号"},
                    "tel": "042-318-4521",
                    "renrakuHouhou": "4"
                  },
                  "careRecipient": {
                    "riyoushaNo": "0000412345",
                    "hihokenshaNo": "1399800123",
                    "honninTonoKankei": "04",
                    "shimei": {"sei": "田中", "mei": "キヨ子"},
                    "kanaShimei": {"sei": "ﾀﾅｶ", "mei": "ｷﾖｺ"},
                    "seibetsu": "2",
                    "seinengappi": "19450602",
                    "doukyo": "1",
                    "kadai": ["03"],
                    "kaigoNintei": {"youkaigodo": "21", "ninteiBi": "20260805", "yukoKikanShuryo": "20270831"},
                    "kaigoJokyo": "母が2026年8月に要介護1の認定。軽度の認知機能低下があり、通所介護を週2回利用。家事は本人が一部担っている。"
                  },
                  "setaiKousei": [],
                  "kadai": ["08", "09", "01"],
                  "seikatsuKadai": ["8", "2"],
                  "zokusei": ["1", "4"],
                  "kibouShien": ["14", "16", "04"],
                  "kinkyudo": "C",
                  "soudanNaiyou": "母の介護サービス利用をきっかけに、同居の長男(本人)が20年近く自宅にひきこもっていることが分かった。世帯の収入は母の年金のみで、本人は母の介護と、母が亡くなった後の自分の生活に強い不安を感じている。担当ケアマネジャーが同席するなら相談員と自宅で会ってもよいと話している。",
                  "shuroJokyo": {"kubun": "3", "bikou": "30代前半に会社を退職して以来、就労経験なし。外出は深夜のコンビニ程度。"},
                  "setaiShunyu": {"getsugaku": 92000, "bikou": "母の老齢年金(月約9万2千円)のみで世帯の生活費をまかなっている。持ち家(築45年)。預貯金はほとんどないと本人は話している。"},
                  "tantousha": {"shozoku": "つなぎ市中央地域包括支援センター", "shimei": "松本 恵子", "tel": "042-555-0420"},
                  "doui": {
                    "douiNo": "CNS-2026-0064",
                    "douiSha": "1",
                    "douiBi": "20260915",
                    "douiHouhou": "1",
                    "teikyoSaki": ["01"],
                    "riyoMokuteki": ["04", "02", "03"],
                    "jouhouKubun": ["01", "02", "03", "04", "05", "06", "07", "08", "11"],
                    "yukoKigen": "20270914"
                  }
                }
                """).formatted(iraiNo).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * 緊急つなぎ (kind KINKYU_TSUNAGI): an 86-year-old client (要支援2) found collapsed at home with electricity and
     * gas cut off, unable to consent; urgency A, with the staff member's reason for sharing without consent.
     */
    public static byte[] vitalInterest(String iraiNo) {
        return ("""
                {
                  "kind": "KINKYU_TSUNAGI",
                  "iraiNo": "%s",
                  "sakuseiNichiji": "2026-11-12T19:30:00+09:00",
                  "careRecipient": {
                    "riyoushaNo": "0000398811",
                    "shimei": {"sei": "鈴木", "mei": "トミ"},
                    "kanaShimei": {"sei": "ｽｽﾞｷ", "mei": "ﾄﾐ"},
                    "seibetsu": "2",
                    "seinengappi": "19400214",
                    "jusho": {"yubinNo": "1980046", "dantaiCode": "139998", "jushoText": "東京都つなぎ市西原二丁目14番1号 西原団地3号棟405"},
                    "kaigoNintei": {"youkaigodo": "13", "ninteiBi": "20260301", "yukoKikanShuryo": "20270228"},
                    "kaigoJokyo": "要支援2。訪問型サービスを週1回利用していたが、10月以降は本人の申し出で中断していた。",
                    "kenkoJokyo": "低体温症と脱水でつなぎ市立病院に入院中。意識は回復しつつあるが見当識障害があり、意思確認は困難。退院は1週間程度先の見込み。"
                  },
                  "kadai": ["01", "03", "12"],
                  "seikatsuKadai": ["4", "2", "8"],
                  "zokusei": ["1", "4"],
                  "kibouShien": ["01", "12", "13"],
                  "kinkyudo": "A",
                  "soudanNaiyou": "11月12日朝、訪問した地域包括支援センター職員が自宅の台所で倒れている本人を発見し、救急搬送した。室内は電気とガスが料金滞納のため止められており、暖房が使えない状態だった。退院までに電気・ガスの再開、当面の生活費、金銭管理の支援を調整する必要がある。",
                  "tantousha": {"shozoku": "つなぎ市中央地域包括支援センター", "shimei": "松本 恵子", "tel": "042-555-0420"},
                  "kinkyuRiyu": "本人は自宅で倒れているところを発見され救急搬送された。見当識障害があり本人の同意を得ることが困難で、連絡のつく親族もいない。自宅は電気・ガスが停止しており、支援の調整がないまま退院すると低体温症の再発により生命に危険が及ぶおそれがあるため、本人の同意を得ずに自立相談支援機関へ提供する。"
                }
                """).formatted(iraiNo).getBytes(StandardCharsets.UTF_8);
    }

    /** 状況連絡 (kind JOKYO_RENRAKU) from the center on a referral it received: status code, optional reason, note. */
    public static byte[] status(String iraiNo, String atesaki, String jokyo, String riyu, String jokyoNichiji, String bikou) {
        StringBuilder json = new StringBuilder("{\"kind\":\"JOKYO_RENRAKU\",\"iraiNo\":\"").append(iraiNo)
                .append("\",\"atesaki\":\"").append(atesaki).append("\",\"jokyo\":\"").append(jokyo).append('"');
        if (riyu != null) {
            json.append(",\"riyu\":\"").append(riyu).append('"');
        }
        json.append(",\"jokyoNichiji\":\"").append(jokyoNichiji).append('"');
        if (bikou != null) {
            json.append(",\"bikou\":\"").append(bikou).append('"');
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
}
