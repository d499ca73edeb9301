package jp.tsunagi.gateway.connect;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.Charset;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagi.connectors.simulator.NativeHttpAgency;
import jp.tsunagi.connectors.simulator.WelfareOfficeSystem;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.intake.RecipientSimulator;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The welfare office's public-assistance system (生活保護システム) against a real gateway, over real HTTP both ways:
 * the system POSTs its own XML (保護相談連携票, 連携状況報告) to the gateway's port and reads the JSON result; the
 * gateway POSTs 他機関連絡票, 連携状況通知 and 同意撤回通知 to the system's reception API.
 */
class WelfareOfficeConnectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The public-assistance system writes and reads Windows-31J (Microsoft's Shift_JIS: 髙, ①). */
    private static final Charset SJIS = WelfareOfficeSystem.WINDOWS_31J;
    private static final String RECEPTION = WelfareOfficeSystem.RECEPTION_PATH;

    @TempDir
    java.nio.file.Path dir;
    NativeHttpAgency welfare;
    /** How many requests the reception API answers 503 before it is back (an outage of the welfare system). */
    final AtomicInteger outage = new AtomicInteger();
    /** The Idempotency-Key of every request that reached the reception API, answered or not. */
    final List<String> keysSeen = new CopyOnWriteArrayList<>();
    GatewayFixture gateway;
    URI inbound;

    @BeforeEach
    void start() throws Exception {
        NativeHttpAgency.Reply ok = WelfareOfficeSystem.accepted();
        welfare = NativeHttpAgency.start("tsunagi-welfare", 0, RECEPTION, request -> {
            keysSeen.add(request.idempotencyKey());
            return outage.getAndDecrement() > 0 ? NativeHttpAgency.Reply.empty(503) : ok;
        });
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            ConnectorConf.copyMappings(conf);
            ConnectorConf.connector(conf, "tsunagi-welfare", "route", "direct:welfare-out");
            ConnectorConf.route(conf, "welfare-office.yaml", """
                    - route:
                        id: welfare-office-in
                        from:
                          uri: "kamelet:tsunagi-http-source"
                          parameters: {path: /connectors/welfare}
                          steps:
                            - to: "tsunagi:intake?agency=tsunagi-welfare&mappings=welfare-sends-referral,welfare-sends-status,welfare-sends-withdrawal&result=json"
                    - route:
                        id: welfare-office-out
                        from:
                          uri: direct:welfare-out
                          steps:
                            - to: "tsunagi:render?mappings=welfare-receives-referral,welfare-receives-status,welfare-receives-withdrawal"
                            - to: "kamelet:tsunagi-http-sink?url=%s"
                    """.formatted(welfare.endpoint()));
        });
        inbound = gateway.uri(WelfareOfficeSystem.GATEWAY_PATH);
    }

    @AfterEach
    void stop() {
        gateway.close();
        welfare.close();
    }

    // ---------------------------------------------------------------- inbound: the welfare system POSTs its XML

    @Test
    void aNotEligibleApplicantPostedAsAWelfareReferralReachesTheHubAsExactlyThisMessage() throws Exception {
        byte[] document = WelfareOfficeSystem.notEligible("WEL-2026-000141").getBytes(SJIS);

        NativeHttpAgency.Reply answer = post(document);

        String messageId = messageId("welfare-sends-referral", document);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(JSON.readTree(answer.body())).isEqualTo(JSON.readTree("""
                {"accepted":1,"duplicates":0,"rejected":0,
                 "records":[{"record":1,"status":"ACCEPTED","referralId":"WEL-2026-000141","messageId":"%s"}]}
                """.formatted(messageId)));
        List<RecipientSimulator.Received> copies = gateway.awaitCopies("tsunagi-hub", 1);
        // the mother (世帯員) in the document has no basis of her own (the welfare XML carries only the applicant's
        // consent), so she is left out, by position in the provenance: each person is their own subject; a copy that
        // lists a removed member says schema 1.1, the version that defines the field
        assertThat(withoutVolatileParts(JsonCodec.parse(copies.get(0).body()))).isEqualTo(JSON.readTree("""
                {"messageType":"REFERRAL","schemaVersion":"1.1",
                 "sender":"tsunagi-welfare","recipient":"tsunagi-hub","referralId":"WEL-2026-000141",
                 "referral":{"purpose":"CONSULTATION_REFERRAL",
                   "subject":{"name":{"family":"中村","given":"由美子"},"kana":{"family":"ナカムラ","given":"ユミコ"},
                     "birthDate":"1968-03-12",
                     "address":{"postalCode":"198-0034","municipalityCode":"139998",
                                "line":"東京都つなぎ市栄町一丁目12番8号 メゾン栄205"},
                     "contact":{"phones":["080-5521-7390"],"preferredChannel":"PHONE"}},
                   "issues":["ECONOMIC_HARDSHIP","JOB_SEARCH_DIFFICULTY","UNSTABLE_HOUSING"],
                   "domains":["NEEDY"],
                   "requestedServices":["SELF_RELIANCE_CONSULTATION","HOUSING_SECURITY_BENEFIT","HELLO_WORK_PLACEMENT"],
                   "urgency":"PROMPT",
                   "chiefComplaint":"派遣の仕事が契約満了で終わり、貯金を取り崩して生活している。生活保護の相談に来たが、預貯金があるため今は対象にならないと説明を受けた。",
                   "employment":{"status":"UNEMPLOYED_SEEKING",
                     "note":"2026年5月末に派遣契約(製造ラインの検品)が終了。雇用保険の基本手当を9月まで受給予定。"},
                   "incomeAssets":{"monthlyIncomeYen":132000,"savingsYen":680000,
                     "note":"預貯金が最低生活費の約5か月分あるため、生活保護の要件を満たさないと判断した(申請には至らず)。"},
                   "referrer":{"department":"つなぎ市福祉事務所 生活福祉課 相談係","staffName":"髙野 直樹",
                     "phone":"042-555-0210"},
                   "basis":{"consent":{"consentId":"CNS-2026-0027","givenBy":"SUBJECT",
                     "obtainedAt":"2026-07-08T00:00:00+09:00","obtainedBy":"tsunagi-welfare","method":"WRITTEN",
                     "recipients":[{"agencyId":"tsunagi-hub"}],"purposes":["CONSULTATION_REFERRAL","ASSESSMENT"],
                     "dataCategories":["IDENTITY","CONTACT","ADDRESS","HOUSEHOLD","ISSUES","NARRATIVE","EMPLOYMENT",
                       "INCOME_ASSETS"],
                     "expiresAt":"2027-07-07T23:59:59+09:00"}}},
                 "provenance":{"originalMessageId":"%1$s","originalSender":"tsunagi-welfare",
                   "removedCategories":["HOUSEHOLD"],"removedMembers":[0]}}
                """.formatted(messageId)));
    }

    @Test
    void theSameDocumentPostedAgainIsAnsweredDuplicateAndMakesNoSecondReferral() throws Exception {
        byte[] document = WelfareOfficeSystem.notEligible("WEL-2026-000142").getBytes(SJIS);
        assertThat(post(document).status()).isEqualTo(200);
        gateway.awaitCopies("tsunagi-hub", 1);

        NativeHttpAgency.Reply again = post(document);

        assertThat(again.status()).isEqualTo(200);
        assertThat(JSON.readTree(again.body())).isEqualTo(JSON.readTree("""
                {"accepted":0,"duplicates":1,"rejected":0,
                 "records":[{"record":1,"status":"DUPLICATE","referralId":"WEL-2026-000142","messageId":"%s",
                             "code":"message.duplicate","reason":"this record was accepted before"}]}
                """.formatted(messageId("welfare-sends-referral", document))));
        assertThat(gateway.copiesQueuedFor("tsunagi-hub")).isEqualTo(1);
        assertThat(gateway.recipients.processedBy("tsunagi-hub")).hasSize(1);
    }

    @Test
    void aBadDocumentIsAnswered422WithItsCodeAndTheNextDocumentIsStillAccepted() throws Exception {
        String good = WelfareOfficeSystem.notEligible("WEL-2026-000143");

        NativeHttpAgency.Reply unknownCode = post(good.replace("<就労区分>2</就労区分>", "<就労区分>7</就労区分>")
                .replace("WEL-2026-000143", "WEL-2026-000144").getBytes(SJIS));
        NativeHttpAgency.Reply noBirthDate = post(good.replace("<生年月日>昭和43年3月12日</生年月日>", "")
                .replace("WEL-2026-000143", "WEL-2026-000145").getBytes(SJIS));
        NativeHttpAgency.Reply notANumber = post(good.replace("<預貯金>680,000</預貯金>", "<預貯金>約68万円</預貯金>")
                .replace("WEL-2026-000143", "WEL-2026-000146").getBytes(SJIS));
        // the consent form does not tick 収入・資産 (08), yet the document carries 収入資産: the gateway refuses it
        NativeHttpAgency.Reply notConsented = post(good.replace("<提供情報区分>08</提供情報区分>", "")
                .replace("WEL-2026-000143", "WEL-2026-000147").getBytes(SJIS));
        // declared Shift_JIS but written in Windows-31J (髙 of 髙野 is not Shift_JIS): refused, not read as U+FFFD
        NativeHttpAgency.Reply wrongDeclaration = post(good.replace("encoding=\"Windows-31J\"", "encoding=\"Shift_JIS\"")
                .replace("WEL-2026-000143", "WEL-2026-000148").getBytes(SJIS));
        NativeHttpAgency.Reply notMine = post("<?xml version=\"1.0\"?><住民異動届><番号>1</番号></住民異動届>".getBytes(UTF_8));
        NativeHttpAgency.Reply accepted = post(good.getBytes(SJIS));

        assertThat(unknownCode.status()).isEqualTo(422);
        assertThat(record(unknownCode)).isEqualTo(JSON.readTree("""
                {"record":1,"status":"REJECTED","code":"mapping.unknown_code",
                 "reason":"element 就労状況/就労区分 -> referral.employment.status: not in the code table"}
                """));
        assertThat(noBirthDate.status()).isEqualTo(422);
        assertThat(record(noBirthDate)).isEqualTo(JSON.readTree("""
                {"record":1,"status":"REJECTED","code":"mapping.required",
                 "reason":"element 対象者/生年月日 -> referral.subject.birthDate: is required and empty"}
                """));
        assertThat(notANumber.status()).isEqualTo(422);
        assertThat(record(notANumber).get("code").asText()).isEqualTo("mapping.not_a_number");
        assertThat(notConsented.status()).isEqualTo(422);
        assertThat(record(notConsented).get("code").asText()).isEqualTo("consent.category_missing");
        assertThat(record(notConsented).get("referralId").asText()).isEqualTo("WEL-2026-000147");
        assertThat(wrongDeclaration.status()).isEqualTo(422);
        assertThat(record(wrongDeclaration)).isEqualTo(JSON.readTree("""
                {"record":1,"status":"REJECTED","code":"mapping.encoding",
                 "reason":"the document has bytes that Shift_JIS (the encoding its XML declaration names) cannot decode"}
                """));
        assertThat(notMine.status()).isEqualTo(422);
        assertThat(record(notMine).get("code").asText()).isEqualTo("mapping.no_match");
        for (NativeHttpAgency.Reply rejected : List.of(unknownCode, noBirthDate, notANumber, notConsented, wrongDeclaration, notMine)) {
            assertThat(new String(rejected.body(), UTF_8)).doesNotContain("中村", "ナカムラ", "ﾅｶﾑﾗ", "080-5521-7390");
        }
        assertThat(accepted.status()).isEqualTo(200);
        List<RecipientSimulator.Received> copies = gateway.awaitCopies("tsunagi-hub", 1);
        assertThat(gateway.copiesQueuedFor("tsunagi-hub")).isEqualTo(1);
        assertThat(gateway.recipients.processedBy("tsunagi-hub")).hasSize(1);
        assertThat(JsonCodec.parse(copies.get(0).body()).get("referralId").asText()).isEqualTo("WEL-2026-000143");
    }

    @Test
    void theWelfareOfficesDeclineOfAHubReferralReachesTheHubAsThisStatusUpdate() throws Exception {
        assertThat(gateway.send(gateway.sample("F3-hub-to-welfare-public-assistance",
                m -> m.put("referralId", "REF-2026-000179"))).statusCode()).isEqualTo(202);
        awaitReceived(1);
        byte[] report = WelfareOfficeSystem.bytes(WelfareOfficeSystem.status("REF-2026-000179", "51", "11", "令和8年9月24日",
                "収入認定の結果、世帯の収入が最低生活費を上回るため保護の要件に該当しません。引き続き自立相談支援機関での支援をお願いします。"));

        NativeHttpAgency.Reply answer = post(report);

        String messageId = messageId("welfare-sends-status", report);
        assertThat(answer.status()).as(new String(answer.body(), UTF_8)).isEqualTo(200);
        assertThat(record(answer)).isEqualTo(JSON.readTree("""
                {"record":1,"status":"ACCEPTED","referralId":"REF-2026-000179","messageId":"%s"}
                """.formatted(messageId)));
        List<RecipientSimulator.Received> copies = gateway.awaitCopiesFrom("tsunagi-hub", "tsunagi-welfare", 1);
        assertThat(withoutVolatileParts(JsonCodec.parse(copies.get(0).body()))).isEqualTo(JSON.readTree("""
                {"messageType":"STATUS_UPDATE","schemaVersion":"1.0",
                 "sender":"tsunagi-welfare","recipient":"tsunagi-hub","referralId":"REF-2026-000179",
                 "statusUpdate":{"status":"DECLINED","reason":"NOT_ELIGIBLE","effectiveAt":"2026-09-24T00:00:00+09:00",
                   "note":"収入認定の結果、世帯の収入が最低生活費を上回るため保護の要件に該当しません。引き続き自立相談支援機関での支援をお願いします。"},
                 "provenance":{"originalMessageId":"%1$s","originalSender":"tsunagi-welfare"}}
                """.formatted(messageId)));
    }

    @Test
    void aConsentWithdrawnAtTheWelfareOfficeReachesTheHubAsAConsentWithdrawal() throws Exception {
        assertThat(post(WelfareOfficeSystem.notEligible("WEL-2026-000161").getBytes(SJIS)).status()).isEqualTo(200);
        gateway.awaitCopies("tsunagi-hub", 1);
        byte[] report = WelfareOfficeSystem.bytes(
                WelfareOfficeSystem.withdrawal("WEL-2026-000161", "CNS-2026-0027", "令和8年11月20日", "2"));

        NativeHttpAgency.Reply answer = post(report);

        String messageId = messageId("welfare-sends-withdrawal", report);
        assertThat(answer.status()).as(new String(answer.body(), UTF_8)).isEqualTo(200);
        assertThat(record(answer)).isEqualTo(JSON.readTree("""
                {"record":1,"status":"ACCEPTED","referralId":"WEL-2026-000161","messageId":"%s"}
                """.formatted(messageId)));
        JsonNode withdrawal = Await.until(() -> gateway.recipients.processedBy("tsunagi-hub").stream()
                .map(c -> JsonCodec.parse(c.body()))
                .filter(m -> m.get("messageType").asText().equals("CONSENT_WITHDRAWAL")).findFirst().orElse(null));
        assertThat(withoutVolatileParts(withdrawal)).isEqualTo(JSON.readTree("""
                {"messageType":"CONSENT_WITHDRAWAL","schemaVersion":"1.0",
                 "sender":"tsunagi-welfare","recipient":"tsunagi-hub","referralId":"WEL-2026-000161",
                 "consentWithdrawal":{"consentId":"CNS-2026-0027","withdrawnAt":"2026-11-20T00:00:00+09:00",
                   "recordedBy":"tsunagi-welfare","method":"VERBAL_RECORDED"},
                 "provenance":{"originalMessageId":"%s","originalSender":"tsunagi-welfare"}}
                """.formatted(messageId)));
    }

    // ---------------------------------------------------------------- outbound: the gateway POSTs to the system

    @Test
    void theHubsPublicAssistanceReferralReachesTheWelfareSystemAsThisExactXmlWithoutTaxArrears() throws Exception {
        ObjectNode f3 = gateway.sample("F3-hub-to-welfare-public-assistance", m -> {
            // the hub also knows of the person's arrears (F1) and the consent names them, but a welfare office never
            // receives tax arrears (policy.yaml ceiling): minimization drops them before the copy is written
            ObjectNode referral = (ObjectNode) m.get("referral");
            referral.putObject("taxArrears").putArray("items").addObject()
                    .put("taxItem", "NATIONAL_HEALTH_INSURANCE_TAX").put("fiscalYear", 2025).put("amountYen", 48200);
            ((ArrayNode) referral.at("/basis/consent/dataCategories")).add("HOUSEHOLD").add("TAX_ARREARS");
            ObjectNode brother = referral.putArray("household").addObject().put("relationship", "SIBLING");
            brother.putObject("name").put("family", "山本").put("given", "隆");
            brother.putObject("kana").put("family", "ヤマモト").put("given", "タカシ");
            brother.put("birthDate", "1968-05-02").put("livesTogether", false);
            // his own consent: without it he would be left out (each person is their own subject)
            ObjectNode own = brother.putObject("basis").putObject("consent").put("consentId", "CNS-2026-0044")
                    .put("givenBy", "SUBJECT").put("obtainedAt", "2026-08-19T15:30:00+09:00").put("obtainedBy", "tsunagi-hub")
                    .put("method", "WRITTEN").put("expiresAt", "2027-03-31T23:59:59+09:00");
            own.putArray("recipients").addObject().put("agencyId", "tsunagi-welfare");
            own.putArray("purposes").add("PUBLIC_ASSISTANCE_CONSULTATION");
            own.putArray("dataCategories").add("IDENTITY");
        });
        assertThat(gateway.send(f3).statusCode()).isEqualTo(202);

        NativeHttpAgency.Received received = awaitReceived(1).get(0);

        assertThat(received.target().getPath()).isEqualTo(RECEPTION);
        assertThat(received.contentType()).isEqualTo("application/xml");
        assertThat(received.idempotencyKey()).isNotBlank();
        assertThat(received.text(SJIS)).isEqualTo("""
                <?xml version="1.0" encoding="Windows-31J" standalone="no"?>
                <他機関連絡票>
                  <連携番号>REF-2026-000152</連携番号>
                  <連絡元機関>tsunagi-hub</連絡元機関>
                  <連携目的>05</連携目的>
                  <緊急度>2</緊急度>
                  <対象者>
                    <氏名>
                      <姓>山本</姓>
                      <名>誠</名>
                    </氏名>
                    <カナ氏名>
                      <姓>ﾔﾏﾓﾄ</姓>
                      <名>ﾏｺﾄ</名>
                    </カナ氏名>
                    <生年月日>昭和46年11月30日</生年月日>
                    <住所>
                      <郵便番号>1980051</郵便番号>
                      <団体コード>139998</団体コード>
                      <所在地>東京都つなぎ市緑が丘四丁目7番15号 コーポ緑が丘203</所在地>
                    </住所>
                    <電話番号>070-4102-8853</電話番号>
                    <連絡方法>3</連絡方法>
                  </対象者>
                  <世帯>
                    <世帯員>
                      <続柄>05</続柄>
                      <氏名>
                        <姓>山本</姓>
                        <名>隆</名>
                      </氏名>
                      <カナ氏名>
                        <姓>ﾔﾏﾓﾄ</姓>
                        <名>ﾀｶｼ</名>
                      </カナ氏名>
                      <生年月日>昭和43年5月2日</生年月日>
                      <同居区分>2</同居区分>
                    </世帯員>
                  </世帯>
                  <相談内容>
                    <課題コード>01</課題コード>
                    <課題コード>03</課題コード>
                    <課題コード>04</課題コード>
                    <希望支援コード>10</希望支援コード>
                    <相談要旨>病気で入院してから働けなくなり、貯金も使い切った。家賃を2か月滞納していて、管理会社から退去を求められるのではと不安。医療費も払えないので、生活保護を申請したい。</相談要旨>
                  </相談内容>
                  <就労状況>
                    <就労区分>3</就労区分>
                    <特記事項>2026年6月まで運送会社で配送業務に従事。入院を機に退職し、現在は療養中。</特記事項>
                  </就労状況>
                  <収入資産>
                    <月額収入>0</月額収入>
                    <預貯金>18000</預貯金>
                    <特記事項>傷病手当金の受給期間は終了。家賃月5万4千円を2か月分滞納。自動車・生命保険なし。扶養を期待できる親族はいないと本人は話している。</特記事項>
                  </収入資産>
                  <健康状態>
                    <特記事項>2026年7月に糖尿病の悪化で約3週間入院。退院後は月2回通院しインスリン治療中。主治医から当面の就労は困難との意見あり。</特記事項>
                  </健康状態>
                  <紹介元担当>
                    <所属>つなぎ市自立相談支援センター</所属>
                    <担当者>森田 彩</担当者>
                    <電話番号>042-555-0300</電話番号>
                  </紹介元担当>
                  <提供根拠>
                    <同意>
                      <同意番号>CNS-2026-0043</同意番号>
                      <同意者>1</同意者>
                      <同意方法>1</同意方法>
                      <同意日>令和8年8月19日</同意日>
                      <取得機関>tsunagi-hub</取得機関>
                      <有効期限>令和9年3月31日</有効期限>
                      <利用目的>05</利用目的>
                      <提供情報区分>01</提供情報区分>
                      <提供情報区分>02</提供情報区分>
                      <提供情報区分>03</提供情報区分>
                      <提供情報区分>05</提供情報区分>
                      <提供情報区分>06</提供情報区分>
                      <提供情報区分>07</提供情報区分>
                      <提供情報区分>08</提供情報区分>
                      <提供情報区分>10</提供情報区分>
                      <提供情報区分>04</提供情報区分>
                      <提供情報区分>09</提供情報区分>
                    </同意>
                  </提供根拠>
                </他機関連絡票>
                """);
    }

    @Test
    void aSupportMeetingReferralReachesTheSystemAsThisExactXmlNamingTheMeetingInsteadOfAConsent() throws Exception {
        assertThat(gateway.send(gateway.sample("F8-hub-to-welfare-support-meeting")).statusCode()).isEqualTo(202);

        String xml = awaitReceived(1).get(0).text(SJIS);

        assertThat(xml).isEqualTo("""
                <?xml version="1.0" encoding="Windows-31J" standalone="no"?>
                <他機関連絡票>
                  <連携番号>REF-2026-000195</連携番号>
                  <連絡元機関>tsunagi-hub</連絡元機関>
                  <連携目的>08</連携目的>
                  <緊急度>2</緊急度>
                  <対象者>
                    <氏名>
                      <姓>渡辺</姓>
                      <名>勝男</名>
                    </氏名>
                    <カナ氏名>
                      <姓>ﾜﾀﾅﾍﾞ</姓>
                      <名>ｶﾂｵ</名>
                    </カナ氏名>
                    <生年月日>昭和33年12月3日</生年月日>
                    <住所>
                      <郵便番号>1980063</郵便番号>
                      <団体コード>139998</団体コード>
                      <所在地>東京都つなぎ市若葉台一丁目9番3号</所在地>
                    </住所>
                  </対象者>
                  <相談内容>
                    <課題コード>12</課題コード>
                    <課題コード>13</課題コード>
                    <課題コード>01</課題コード>
                    <希望支援コード>18</希望支援コード>
                    <相談要旨>近隣住民と民生委員から、自宅の敷地にごみが積み上がり悪臭がするとの相談が続いている。相談員が3回訪問したが、本人はインターホン越しに「放っておいてほしい」と支援を拒否している。郵便受けに電気料金の督促状がたまっており、経済的困窮の可能性がある。支援会議で福祉事務所の把握状況を共有し、関係機関による訪問の方針を検討したい。</相談要旨>
                  </相談内容>
                  <紹介元担当>
                    <所属>つなぎ市自立相談支援センター</所属>
                    <担当者>森田 彩</担当者>
                    <電話番号>042-555-0300</電話番号>
                  </紹介元担当>
                  <提供根拠>
                    <支援会議>
                      <会議番号>SM-2026-0001</会議番号>
                    </支援会議>
                  </提供根拠>
                </他機関連絡票>
                """);
    }

    @Test
    void theHubsStatusOnAWelfareReferralAndAConsentWithdrawalReachTheSystemInItsOwnXml() throws Exception {
        assertThat(post(WelfareOfficeSystem.notEligible("WEL-2026-000151").getBytes(SJIS)).status()).isEqualTo(200);
        gateway.awaitCopies("tsunagi-hub", 1);
        ObjectNode accepted = gateway.sample("F9-hub-to-tax-status-accepted", m -> {
            m.put("recipient", "tsunagi-welfare");
            m.put("referralId", "WEL-2026-000151");
            ((ObjectNode) m.get("statusUpdate")).put("effectiveAt", "2026-11-20T09:30:00+09:00")
                    .put("note", "紹介を受理しました。11月25日に初回面談を予定しています。");
        });
        assertThat(gateway.send(accepted).statusCode()).isEqualTo(202);

        assertThat(awaitReceived(1).get(0).text(SJIS)).isEqualTo("""
                <?xml version="1.0" encoding="Windows-31J" standalone="no"?>
                <連携状況通知>
                  <連携番号>WEL-2026-000151</連携番号>
                  <連絡元機関>tsunagi-hub</連絡元機関>
                  <状況区分>20</状況区分>
                  <状況日>令和8年11月20日</状況日>
                  <備考>紹介を受理しました。11月25日に初回面談を予定しています。</備考>
                </連携状況通知>
                """);

        assertThat(gateway.send(gateway.sample("F3-hub-to-welfare-public-assistance")).statusCode()).isEqualTo(202);
        awaitReceived(2);
        assertThat(gateway.send(gateway.sample("F10-hub-consent-withdrawal")).statusCode()).isEqualTo(202);

        assertThat(awaitReceived(3).get(2).text(SJIS)).isEqualTo("""
                <?xml version="1.0" encoding="Windows-31J" standalone="no"?>
                <同意撤回通知>
                  <連携番号>REF-2026-000152</連携番号>
                  <同意番号>CNS-2026-0043</同意番号>
                  <撤回日>令和8年9月1日</撤回日>
                  <撤回受付機関>tsunagi-hub</撤回受付機関>
                  <撤回方法>1</撤回方法>
                </同意撤回通知>
                """);
    }

    @Test
    void aWelfareSystemThatIsDownIsRetriedWithTheSameIdempotencyKeyUntilItAnswers() throws Exception {
        outage.set(2);
        assertThat(gateway.send(gateway.sample("F3-hub-to-welfare-public-assistance")).statusCode()).isEqualTo(202);

        List<NativeHttpAgency.Received> received = awaitReceived(1);

        assertThat(keysSeen).hasSize(3).containsOnly(received.get(0).idempotencyKey());
        // once the outbox has the copy DELIVERED no attempt can follow, so the count below is final
        Await.until(() -> outbox("tsunagi-welfare").startsWith("DELIVERED") ? true : null);
        assertThat(fromAgencies()).hasSize(1);
        // three requests in two delivery attempts: the HTTP sink's client (Apache HttpClient 5) itself repeats a 503
        // once, after a second, within one attempt; the gateway's own retry makes the second attempt
        assertThat(outbox("tsunagi-welfare")).isEqualTo("DELIVERED 2");
    }

    @Test
    void aNameWindows31JCannotHoldIsDeadLetteredAtOnceRatherThanMangled() throws Exception {
        // 𠮷 (U+20BB7, the 吉 of 𠮷田) is in JIS X 0213 but not in Windows-31J
        ObjectNode f3 = gateway.sample("F3-hub-to-welfare-public-assistance",
                m -> ((ObjectNode) m.at("/referral/subject/name")).put("family", "𠮷田"));
        assertThat(gateway.send(f3).statusCode()).isEqualTo(202);

        String outbox = Await.until(() -> {
            String state = outbox("tsunagi-welfare");
            return state.startsWith("DEAD") ? state : null;
        });

        assertThat(outbox).isEqualTo("DEAD 1 mapping.encoding");
        assertThat(keysSeen).isEmpty();
    }

    /** The status, attempts and last error code of the copies for an agency, as the outbox has them. */
    private String outbox(String recipient) throws java.io.IOException {
        try (var c = gateway.gateway.database().dataSource().getConnection();
             var query = c.prepareStatement("SELECT status, attempts, last_error_code FROM outbox WHERE recipient = ?")) {
            query.setString(1, recipient);
            StringBuilder rows = new StringBuilder();
            try (var rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.append(rows.length() == 0 ? "" : "; ").append(rs.getString(1)).append(' ').append(rs.getInt(2))
                            .append(rs.getString(3) == null ? "" : " " + rs.getString(3));
                }
            }
            return rows.toString();
        } catch (java.sql.SQLException e) {
            throw new java.io.IOException(e);
        }
    }

    private NativeHttpAgency.Reply post(byte[] document) throws Exception {
        return welfare.send(inbound, "application/xml", document);
    }

    private static JsonNode record(NativeHttpAgency.Reply reply) throws Exception {
        JsonNode result = JSON.readTree(reply.body());
        assertThat(result.get("records")).hasSize(1);
        return result.get("records").get(0);
    }

    @Test
    void aDocumentPostedWhileTheDatabaseIsDownIsAnswered503SoThatTheSystemPostsItAgain() throws Exception {
        gateway.gateway.database().close();

        NativeHttpAgency.Reply answer = post(WelfareOfficeSystem.bytes(WelfareOfficeSystem.notEligible("WEL-2026-000171")));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(record(answer).path("code").asText()).isEqualTo("store.unavailable");
        assertThat(new String(answer.body(), UTF_8)).doesNotContain("中村").doesNotContain("Exception");
    }

    @Test
    void aDocumentTheGatewayCannotProcessIsAnswered500WithACodeAndNeverAStackTrace() throws Exception {
        // the connector signs as the welfare office: without its key nothing can be taken
        java.nio.file.Files.delete(jp.tsunagi.schema.signature.KeyMaterial.privateKeyFile(dir.resolve("keys"), "tsunagi-welfare"));

        NativeHttpAgency.Reply answer = post(WelfareOfficeSystem.bytes(WelfareOfficeSystem.notEligible("WEL-2026-000181")));

        assertThat(answer.status()).isEqualTo(500);
        assertThat(record(answer).path("code").asText()).isEqualTo("connector.error");
        assertThat(new String(answer.body(), UTF_8)).doesNotContain("Exception").doesNotContain("at jp.").doesNotContain("中村");
    }

    /** What the welfare system received from agencies, not the gateway's own notices (受信) on its referrals. */
    private List<NativeHttpAgency.Received> fromAgencies() {
        return welfare.received().stream().filter(r -> !r.text(SJIS).contains("<連絡元機関>gateway</連絡元機関>")).toList();
    }

    private List<NativeHttpAgency.Received> awaitReceived(int n) throws InterruptedException {
        return Await.until(() -> fromAgencies().size() >= n ? fromAgencies() : null);
    }

    /** The id the connector gives a document: from the agency, the mapping and the SHA-256 of its bytes. */
    private static String messageId(String mapping, byte[] document) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        return UUID.nameUUIDFromBytes(("tsunagi-welfare\n" + mapping + "\n" + sha).getBytes(UTF_8)).toString();
    }

    /**
     * The copy without what changes on every run: the gateway's own messageId and time, its signature, the original's
     * hash and signature (the original's messageId stays: it is derived from the document).
     */
    private static JsonNode withoutVolatileParts(JsonNode copy) {
        ObjectNode tree = copy.deepCopy();
        assertThat(java.time.OffsetDateTime.parse(tree.get("createdAt").asText())).isNotNull();
        assertThat(tree.get("signature").asText()).contains("..");
        assertThat(tree.at("/provenance/originalSha256").asText()).matches("[0-9a-f]{64}");
        assertThat(tree.at("/provenance/originalSignature").asText()).contains("..");
        assertThat(UUID.fromString(tree.get("messageId").asText()).toString())
                .isNotEqualTo(tree.at("/provenance/originalMessageId").asText());
        tree.remove(List.of("messageId", "createdAt", "signature"));
        ((ObjectNode) tree.get("provenance")).remove(List.of("originalSha256", "originalSignature"));
        return tree;
    }
}
