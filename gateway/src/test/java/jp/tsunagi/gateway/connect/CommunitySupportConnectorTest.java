package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagi.connectors.simulator.CareSystem;
import jp.tsunagi.connectors.simulator.NativeHttpAgency;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.intake.RecipientSimulator;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The community general support center's care-system connector (地域包括支援センター, vendor REST/JSON) against a
 * real gateway: the vendor product POSTs its own JSON to the gateway's HTTP port and gets the JSON result; what the
 * center receives is POSTed to the product's API, played by {@link NativeHttpAgency}.
 */
class CommunitySupportConnectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    NativeHttpAgency careSystem;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        careSystem = NativeHttpAgency.start("tsunagi-houkatsu", 0, "/careapi/v1/renkei",
                NativeHttpAgency.Reply.text(200, "application/json", "{\"result\":\"OK\"}", StandardCharsets.UTF_8));
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            ConnectorConf.copyMappings(conf);
            ConnectorConf.connector(conf, "tsunagi-houkatsu", "route", "direct:houkatsu-out");
            ConnectorConf.route(conf, "community-support.yaml", """
                    - route:
                        id: community-support-in
                        from:
                          uri: "kamelet:tsunagi-http-source"
                          parameters: {path: /connectors/houkatsu}
                          steps:
                            - to: "tsunagi:intake?agency=tsunagi-houkatsu&mappings=houkatsu-household,houkatsu-vital-interest,houkatsu-status&result=json"
                    - route:
                        id: community-support-out
                        from:
                          uri: direct:houkatsu-out
                          steps:
                            - to: "tsunagi:render?mappings=houkatsu-referral,houkatsu-status,houkatsu-withdrawal"
                            - to: "kamelet:tsunagi-http-sink?url=%s"
                    """.formatted(careSystem.endpoint()));
        });
    }

    @AfterEach
    void stop() {
        gateway.close();
        careSystem.close();
    }

    @Test
    void anEightyFiftyHouseholdDocumentBecomesAReferralOfTheWithdrawnSonWithoutHisMotherWhoHasNoBasisOfHerOwn() throws Exception {
        // the product's consent form is the son's: his mother's name, birth date and 病気 code need her own basis,
        // which the product does not send, so minimization leaves her out and the provenance says so (by position)
        NativeHttpAgency.Reply reply = post(CareSystem.household("HK-2026-000174"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode result = JSON.readTree(reply.body());
        String messageId = result.at("/records/0/messageId").asText();
        assertThat(result).isEqualTo(JSON.readTree("""
                {"accepted":1,"duplicates":0,"rejected":0,
                 "records":[{"record":1,"status":"ACCEPTED","referralId":"HK-2026-000174","messageId":"%s"}]}
                """.formatted(messageId)));
        JsonNode copy = JsonCodec.parse(gateway.awaitCopies("tsunagi-hub", 1).get(0).body());
        assertThat(copy.get("messageType").asText()).isEqualTo("REFERRAL");
        assertThat(copy.get("sender").asText()).isEqualTo("tsunagi-houkatsu");
        assertThat(copy.get("recipient").asText()).isEqualTo("tsunagi-hub");
        assertThat(copy.get("referralId").asText()).isEqualTo("HK-2026-000174");
        assertThat(copy.at("/provenance/originalMessageId").asText()).isEqualTo(messageId);
        assertThat(copy.at("/provenance/removedMembers")).isEqualTo(JSON.readTree("[0]"));
        assertThat(copy.at("/provenance/removedCategories")).isEqualTo(JSON.readTree("[\"HOUSEHOLD\",\"HEALTH\"]"));
        assertThat(copy.get("referral")).isEqualTo(JSON.readTree("""
                {"purpose":"HOUSEHOLD_SUPPORT",
                 "subject":{"name":{"family":"田中","given":"浩二"},"kana":{"family":"タナカ","given":"コウジ"},
                   "birthDate":"1974-04-18",
                   "address":{"postalCode":"198-0072","municipalityCode":"139998","line":"東京都つなぎ市旭町三丁目21番6号"},
                   "contact":{"phones":["042-318-4521"],"preferredChannel":"HOME_VISIT"}},
                 "issues":["HIKIKOMORI","HOUSEHOLD_8050","ECONOMIC_HARDSHIP"],
                 "lifeProblems":["ISOLATION_FROM_COMMUNITY","LONG_TERM_CARE"],
                 "domains":["ELDERLY","NEEDY"],
                 "requestedServices":["HIKIKOMORI_SUPPORT","OUTREACH_SUPPORT","HOUSEHOLD_BUDGET_IMPROVEMENT"],
                 "urgency":"NORMAL",
                 "chiefComplaint":"母の介護サービス利用をきっかけに、同居の長男(本人)が20年近く自宅にひきこもっていることが分かった。世帯の収入は母の年金のみで、本人は母の介護と、母が亡くなった後の自分の生活に強い不安を感じている。担当ケアマネジャーが同席するなら相談員と自宅で会ってもよいと話している。",
                 "employment":{"status":"UNEMPLOYED_NOT_SEEKING","note":"30代前半に会社を退職して以来、就労経験なし。外出は深夜のコンビニ程度。"},
                 "incomeAssets":{"monthlyIncomeYen":92000,"note":"母の老齢年金(月約9万2千円)のみで世帯の生活費をまかなっている。持ち家(築45年)。預貯金はほとんどないと本人は話している。"},
                 "care":{"careLevel":"CARE_1","note":"母が2026年8月に要介護1の認定。軽度の認知機能低下があり、通所介護を週2回利用。家事は本人が一部担っている。"},
                 "referrer":{"department":"つなぎ市中央地域包括支援センター","staffName":"松本 恵子","phone":"042-555-0420"},
                 "basis":{"consent":{"consentId":"CNS-2026-0064","givenBy":"SUBJECT",
                   "obtainedAt":"2026-09-15T00:00:00+09:00","obtainedBy":"tsunagi-houkatsu","method":"WRITTEN",
                   "recipients":[{"agencyType":"SELF_RELIANCE_SUPPORT"}],
                   "purposes":["HOUSEHOLD_SUPPORT","ASSESSMENT","SUPPORT_PLANNING"],
                   "dataCategories":["IDENTITY","CONTACT","ADDRESS","HOUSEHOLD","ISSUES","NARRATIVE","EMPLOYMENT","INCOME_ASSETS","CARE"],
                   "expiresAt":"2027-09-14T23:59:59+09:00"}}}
                """));
    }

    @Test
    void anEmergencyDocumentBecomesAVitalInterestReferralWithoutConsent() throws Exception {
        NativeHttpAgency.Reply reply = post(CareSystem.vitalInterest("HK-2026-000203"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(JSON.readTree(reply.body()).at("/records/0/status").asText()).isEqualTo("ACCEPTED");
        JsonNode copy = JsonCodec.parse(gateway.awaitCopies("tsunagi-hub", 1).get(0).body());
        assertThat(copy.get("sender").asText()).isEqualTo("tsunagi-houkatsu");
        assertThat(copy.get("referralId").asText()).isEqualTo("HK-2026-000203");
        assertThat(copy.get("referral")).isEqualTo(JSON.readTree("""
                {"purpose":"PROTECTION_OF_LIFE",
                 "subject":{"name":{"family":"鈴木","given":"トミ"},"kana":{"family":"スズキ","given":"トミ"},
                   "birthDate":"1940-02-14",
                   "address":{"postalCode":"198-0046","municipalityCode":"139998","line":"東京都つなぎ市西原二丁目14番1号 西原団地3号棟405"}},
                 "issues":["ECONOMIC_HARDSHIP","ILLNESS","LONELINESS_ISOLATION"],
                 "lifeProblems":["HEALTH_MEDICAL","LONG_TERM_CARE","ISOLATION_FROM_COMMUNITY"],
                 "domains":["ELDERLY","NEEDY"],
                 "requestedServices":["SELF_RELIANCE_CONSULTATION","DAILY_LIFE_INDEPENDENCE_SUPPORT","COMMUNITY_INTEGRATED_CARE"],
                 "urgency":"EMERGENCY",
                 "chiefComplaint":"11月12日朝、訪問した地域包括支援センター職員が自宅の台所で倒れている本人を発見し、救急搬送した。室内は電気とガスが料金滞納のため止められており、暖房が使えない状態だった。退院までに電気・ガスの再開、当面の生活費、金銭管理の支援を調整する必要がある。",
                 "health":{"note":"低体温症と脱水でつなぎ市立病院に入院中。意識は回復しつつあるが見当識障害があり、意思確認は困難。退院は1週間程度先の見込み。"},
                 "care":{"careLevel":"SUPPORT_2","note":"要支援2。訪問型サービスを週1回利用していたが、10月以降は本人の申し出で中断していた。"},
                 "referrer":{"department":"つなぎ市中央地域包括支援センター","staffName":"松本 恵子","phone":"042-555-0420"},
                 "basis":{"vitalInterest":{"justification":"本人は自宅で倒れているところを発見され救急搬送された。見当識障害があり本人の同意を得ることが困難で、連絡のつく親族もいない。自宅は電気・ガスが停止しており、支援の調整がないまま退院すると低体温症の再発により生命に危険が及ぶおそれがあるため、本人の同意を得ずに自立相談支援機関へ提供する。"}}}
                """));
    }

    @Test
    void theHubsStatusUpdateOnTheHouseholdReferralReachesTheCareSystemInItsOwnJson() throws Exception {
        assertThat(post(CareSystem.household("HK-2026-000181")).status()).isEqualTo(200);
        gateway.awaitCopies("tsunagi-hub", 1);
        ObjectNode accepted = gateway.sample("F9-hub-to-tax-status-accepted", m -> {
            m.put("recipient", "tsunagi-houkatsu");
            m.put("referralId", "HK-2026-000181");
            ((ObjectNode) m.get("statusUpdate")).put("effectiveAt", "2026-11-20T09:30:00+09:00");
        });
        var answer = gateway.send(accepted);
        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);

        NativeHttpAgency.Received status = awaitReceived(1).get(0);

        assertThat(status.target().getPath()).isEqualTo("/careapi/v1/renkei");
        assertThat(status.contentType()).startsWith("application/json");
        assertThat(status.idempotencyKey()).isNotBlank();
        assertThat(status.text(StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "kind" : "JOKYO_RENRAKU",
                  "iraiNo" : "HK-2026-000181",
                  "renrakuMoto" : "tsunagi-hub",
                  "atesaki" : "tsunagi-houkatsu",
                  "jokyo" : "03",
                  "jokyoNichiji" : "2026-11-20T09:30:00+09:00",
                  "bikou" : "紹介を受理しました。6月22日に初回面談を予定しています。"
                }""");

        ObjectNode completed = gateway.sample("F9-welfare-to-hub-status-declined", m -> {
            m.put("sender", "tsunagi-hub");
            m.put("recipient", "tsunagi-houkatsu");
            m.put("referralId", "HK-2026-000181");
            ObjectNode update = (ObjectNode) m.get("statusUpdate");
            update.put("status", "COMPLETED");
            update.remove("reason");
            update.put("effectiveAt", "2026-11-27T17:00:00+09:00");
            update.put("note", "ひきこもり地域支援センターと連携した支援プランを開始し、つなぎを終結します。");
        });
        assertThat(gateway.send(completed).statusCode()).isEqualTo(202);

        assertThat(awaitReceived(2).get(1).text(StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "kind" : "JOKYO_RENRAKU",
                  "iraiNo" : "HK-2026-000181",
                  "renrakuMoto" : "tsunagi-hub",
                  "atesaki" : "tsunagi-houkatsu",
                  "jokyo" : "07",
                  "jokyoNichiji" : "2026-11-27T17:00:00+09:00",
                  "bikou" : "ひきこもり地域支援センターと連携した支援プランを開始し、つなぎを終結します。"
                }""");
    }

    @Test
    void theHubDecliningTheEmergencyReferralReachesTheCareSystemWithTheReasonCode() throws Exception {
        assertThat(post(CareSystem.vitalInterest("HK-2026-000210")).status()).isEqualTo(200);
        gateway.awaitCopies("tsunagi-hub", 1);
        ObjectNode declined = gateway.sample("F9-welfare-to-hub-status-declined", m -> {
            m.put("sender", "tsunagi-hub");
            m.put("recipient", "tsunagi-houkatsu");
            m.put("referralId", "HK-2026-000210");
            ObjectNode update = (ObjectNode) m.get("statusUpdate");
            update.put("status", "DECLINED");
            update.put("reason", "REFERRED_ELSEWHERE");
            update.put("effectiveAt", "2026-11-13T11:00:00+09:00");
            update.put("note", "生活保護の急迫保護として福祉事務所が対応します。");
        });
        var answer = gateway.send(declined);
        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);

        assertThat(awaitReceived(1).get(0).text(StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "kind" : "JOKYO_RENRAKU",
                  "iraiNo" : "HK-2026-000210",
                  "renrakuMoto" : "tsunagi-hub",
                  "atesaki" : "tsunagi-houkatsu",
                  "jokyo" : "04",
                  "riyu" : "06",
                  "jokyoNichiji" : "2026-11-13T11:00:00+09:00",
                  "bikou" : "生活保護の急迫保護として福祉事務所が対応します。"
                }""");
    }

    @Test
    void aHubReferralReachesTheCareSystemAndTheCentersAnswerAndTheWithdrawalTravelBothWays() throws Exception {
        ObjectNode referral = gateway.sample("F5-houkatsu-to-hub", m -> {
            m.put("sender", "tsunagi-hub");
            m.put("recipient", "tsunagi-houkatsu");
            m.put("referralId", "REF-2026-000301");
            ObjectNode r = (ObjectNode) m.get("referral");
            ObjectNode consent = (ObjectNode) r.at("/basis/consent");
            consent.put("consentId", "CNS-2026-0099");
            consent.put("obtainedBy", "tsunagi-hub");
            ((ObjectNode) consent.get("recipients").get(0)).put("agencyType", "COMMUNITY_GENERAL_SUPPORT");
            r.put("urgency", "PROMPT");
            // the hub refers the mother of the 8050 household it supports: she is the subject, her son a member on
            // his own consent (without it he would be left out: each person is their own subject)
            r.set("subject", tree("""
                    {"name":{"family":"田中","given":"キヨ子"},"kana":{"family":"タナカ","given":"キヨコ"},"birthDate":"1945-06-02",
                     "address":{"postalCode":"198-0072","municipalityCode":"139998","line":"東京都つなぎ市旭町三丁目21番6号"},
                     "contact":{"phones":["042-318-4521"],"preferredChannel":"HOME_VISIT"}}"""));
            r.set("household", tree("""
                    [{"relationship":"CHILD","name":{"family":"田中","given":"浩二"},"kana":{"family":"タナカ","given":"コウジ"},
                      "birthDate":"1974-04-18","livesTogether":true,"issues":["HIKIKOMORI"],
                      "basis":{"consent":{"consentId":"CNS-2026-0100","givenBy":"SUBJECT","obtainedAt":"2026-09-15T10:30:00+09:00",
                        "obtainedBy":"tsunagi-hub","method":"WRITTEN","recipients":[{"agencyType":"COMMUNITY_GENERAL_SUPPORT"}],
                        "purposes":["HOUSEHOLD_SUPPORT"],"dataCategories":["IDENTITY","ISSUES"],
                        "expiresAt":"2027-09-14T23:59:59+09:00"}}}]"""));
            r.put("chiefComplaint", "長男の相談を受けている世帯。本人(母)は要介護1で、長男が介護を担えない日があり、通所介護の回数を増やしたい。");
            ((ObjectNode) r.get("referrer")).put("department", "つなぎ市自立相談支援センター").put("staffName", "山口 直樹")
                    .put("phone", "042-555-0300");
        });
        var answer = gateway.send(referral);
        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);

        JsonNode received = JSON.readTree(awaitReceived(1).get(0).body());

        // what a community general support center may receive: no employment (minimization), kana in 半角, codes its own
        assertThat(received).isEqualTo(JSON.readTree("""
                {"kind":"TSUNAGI_UKETSUKE","iraiNo":"REF-2026-000301","iraiMoto":"tsunagi-hub","mokuteki":"04","kinkyudo":"B",
                 "taishosha":{"shimei":{"sei":"田中","mei":"キヨ子"},"kanaShimei":{"sei":"ﾀﾅｶ","mei":"ｷﾖｺ"},"seinengappi":"19450602",
                   "jusho":{"yubinNo":"1980072","dantaiCode":"139998","jushoText":"東京都つなぎ市旭町三丁目21番6号"},
                   "tel":"042-318-4521","renrakuHouhou":"4",
                   "kaigoNintei":{"youkaigodo":"21"},
                   "kaigoJokyo":"母が2026年8月に要介護1の認定。軽度の認知機能低下があり、通所介護を週2回利用。家事は本人が一部担っている。"},
                 "setaiKousei":[{"honninTonoKankei":"02","shimei":{"sei":"田中","mei":"浩二"},
                   "kanaShimei":{"sei":"ﾀﾅｶ","mei":"ｺｳｼﾞ"},"seinengappi":"19740418","doukyo":"1","kadai":["08"]}],
                 "kadai":["08","09","01"],"seikatsuKadai":["8","2"],"zokusei":["1","4"],"kibouShien":["14","16","04"],
                 "soudanNaiyou":"長男の相談を受けている世帯。本人(母)は要介護1で、長男が介護を担えない日があり、通所介護の回数を増やしたい。",
                 "setaiShunyu":{"getsugaku":"92000","bikou":"母の老齢年金(月約9万2千円)のみで世帯の生活費をまかなっている。持ち家(築45年)。預貯金はほとんどないと本人は話している。"},
                 "tantousha":{"shozoku":"つなぎ市自立相談支援センター","shimei":"山口 直樹","tel":"042-555-0300"},
                 "teikyoKonkyo":{"douiNo":"CNS-2026-0099","yukoKigen":"20270914"}}
                """));

        // a status naming another agency as its sender is refused: the connector speaks for the center only
        NativeHttpAgency.Reply forged = post(new String(CareSystem.status("REF-2026-000301", "tsunagi-hub", "03", null,
                "2026-11-21T10:00:00+09:00", null), StandardCharsets.UTF_8)
                .replace("\"kind\":\"JOKYO_RENRAKU\",", "\"kind\":\"JOKYO_RENRAKU\",\"renrakuMoto\":\"tsunagi-welfare\",")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(forged.status()).isEqualTo(422);
        assertThat(JSON.readTree(forged.body()).at("/records/0/code").asText()).isEqualTo("signature.sender_mismatch");

        // the center accepts it from its own screen: the hub receives a status update of tsunagi-houkatsu
        NativeHttpAgency.Reply reply = post(CareSystem.status("REF-2026-000301", "tsunagi-hub", "03", null,
                "2026-11-21T10:00:00+09:00", "担当ケアマネジャーを決定し、11月25日に自宅訪問します。"));
        assertThat(reply.status()).as(reply.text(StandardCharsets.UTF_8)).isEqualTo(200);
        JsonNode status = JsonCodec.parse(awaitHubCopy("STATUS_UPDATE").body());
        assertThat(status.get("sender").asText()).isEqualTo("tsunagi-houkatsu");
        assertThat(status.get("recipient").asText()).isEqualTo("tsunagi-hub");
        assertThat(status.get("referralId").asText()).isEqualTo("REF-2026-000301");
        assertThat(status.get("statusUpdate")).isEqualTo(JSON.readTree("""
                {"status":"ACCEPTED","effectiveAt":"2026-11-21T10:00:00+09:00","note":"担当ケアマネジャーを決定し、11月25日に自宅訪問します。"}
                """));

        // the person withdraws consent at the hub: the care system is told in its own JSON
        ObjectNode withdrawal = gateway.sample("F10-hub-consent-withdrawal", m -> {
            m.put("recipient", "tsunagi-houkatsu");
            m.put("referralId", "REF-2026-000301");
            ObjectNode w = (ObjectNode) m.get("consentWithdrawal");
            w.put("consentId", "CNS-2026-0099");
            w.put("withdrawnAt", "2026-11-26T16:30:00+09:00");
        });
        answer = gateway.send(withdrawal);
        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);

        assertThat(awaitReceived(2).get(1).text(StandardCharsets.UTF_8)).isEqualTo("""
                {
                  "kind" : "DOUI_TEKKAI",
                  "iraiNo" : "REF-2026-000301",
                  "renrakuMoto" : "tsunagi-hub",
                  "douiNo" : "CNS-2026-0099",
                  "tekkaiNichiji" : "2026-11-26T16:30:00+09:00",
                  "uketsukeKikan" : "tsunagi-hub",
                  "tekkaiHouhou" : "1"
                }""");
    }

    @Test
    void aDocumentWithAnUnknownCareLevelOrWithoutABirthDateIsRefusedWith422AndTheNextDocumentStillGoesThrough() throws Exception {
        String household = new String(CareSystem.household("HK-2026-000190"), StandardCharsets.UTF_8);

        NativeHttpAgency.Reply unknownCode = post(household.replace("\"youkaigodo\": \"21\"", "\"youkaigodo\": \"11\"")
                .getBytes(StandardCharsets.UTF_8));
        NativeHttpAgency.Reply missing = post(household.replace("\"seinengappi\": \"19740418\",", "")
                .getBytes(StandardCharsets.UTF_8));
        NativeHttpAgency.Reply unknownKind = post("{\"kind\":\"KAIGO_KEIKAKU\",\"iraiNo\":\"HK-2026-000191\"}"
                .getBytes(StandardCharsets.UTF_8));
        NativeHttpAgency.Reply good = post(CareSystem.household("HK-2026-000192"));

        assertThat(unknownCode.status()).isEqualTo(422);
        assertThat(JSON.readTree(unknownCode.body())).isEqualTo(JSON.readTree("""
                {"accepted":0,"duplicates":0,"rejected":1,"records":[{"record":1,"status":"REJECTED",
                 "code":"mapping.unknown_code",
                 "reason":"field careRecipient.kaigoNintei.youkaigodo -> referral.care.careLevel: not in the code table"}]}
                """));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(JSON.readTree(missing.body())).isEqualTo(JSON.readTree("""
                {"accepted":0,"duplicates":0,"rejected":1,"records":[{"record":1,"status":"REJECTED",
                 "code":"mapping.required",
                 "reason":"field taishosha.seinengappi -> referral.subject.birthDate: is required and empty"}]}
                """));
        assertThat(unknownKind.status()).isEqualTo(422);
        assertThat(JSON.readTree(unknownKind.body()).at("/records/0/code").asText()).isEqualTo("mapping.no_match");
        assertThat(good.status()).isEqualTo(200);
        List<RecipientSimulator.Received> copies = gateway.awaitCopies("tsunagi-hub", 1);
        assertThat(gateway.copiesQueuedFor("tsunagi-hub")).isEqualTo(1);
        assertThat(gateway.recipients.processedBy("tsunagi-hub")).hasSize(1);
        assertThat(JsonCodec.parse(copies.get(0).body()).get("referralId").asText()).isEqualTo("HK-2026-000192");
        assertThat(new String(unknownCode.body(), StandardCharsets.UTF_8) + new String(missing.body(), StandardCharsets.UTF_8))
                .doesNotContain("田中", "ﾀﾅｶ", "19740418");
    }

    @Test
    void theSameDocumentPostedAgainIsADuplicateAndNoSecondReferral() throws Exception {
        byte[] document = CareSystem.household("HK-2026-000195");
        NativeHttpAgency.Reply first = post(document);
        assertThat(first.status()).isEqualTo(200);
        gateway.awaitCopies("tsunagi-hub", 1);

        NativeHttpAgency.Reply again = post(document);

        assertThat(again.status()).isEqualTo(200);
        String messageId = JSON.readTree(first.body()).at("/records/0/messageId").asText();
        assertThat(JSON.readTree(again.body())).isEqualTo(JSON.readTree("""
                {"accepted":0,"duplicates":1,"rejected":0,"records":[{"record":1,"status":"DUPLICATE",
                 "referralId":"HK-2026-000195","messageId":"%s","code":"message.duplicate","reason":"this record was accepted before"}]}
                """.formatted(messageId)));
        assertThat(gateway.copiesQueuedFor("tsunagi-hub")).isEqualTo(1);
        assertThat(gateway.recipients.processedBy("tsunagi-hub")).hasSize(1);
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private NativeHttpAgency.Reply post(byte[] document) throws Exception {
        return careSystem.send(gateway.uri("/connectors/houkatsu"), "application/json", document);
    }

    /** What the care system received from agencies, not the gateway's own notices (受信) on its referrals. */
    private List<NativeHttpAgency.Received> fromAgencies() {
        return careSystem.received().stream()
                .filter(r -> !JsonCodec.parse(r.body()).path("renrakuMoto").asText().equals("gateway")).toList();
    }

    private List<NativeHttpAgency.Received> awaitReceived(int n) throws InterruptedException {
        return Await.until(() -> fromAgencies().size() >= n ? fromAgencies() : null);
    }

    /** The first copy of that type the hub received from the center (not the gateway's notices on its own referrals). */
    private RecipientSimulator.Received awaitHubCopy(String messageType) throws InterruptedException {
        return Await.until(() -> gateway.copiesFrom("tsunagi-hub", "tsunagi-houkatsu").stream()
                .filter(r -> JsonCodec.parse(r.body()).path("messageType").asText().equals(messageType))
                .findFirst().orElse(null));
    }
}
