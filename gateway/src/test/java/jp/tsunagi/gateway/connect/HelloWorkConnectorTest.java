package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import jp.tsunagi.connectors.simulator.HelloWorkSystem;
import jp.tsunagi.connectors.simulator.SftpAgencyServer;
import jp.tsunagi.gateway.http.OpenApiDocument;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.intake.RecipientSimulator;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hello Work's SFTP batch link against a real gateway and a real embedded SFTP server whose host key the gateway pins
 * (known_hosts, strictHostKeyChecking yes): CSV files in Windows-31J both ways.
 */
class HelloWorkConnectorTest {
    private static final Charset SJIS = HelloWorkSystem.WINDOWS_31J;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "sftp-テスト-pass";

    @TempDir
    Path dir;
    SftpAgencyServer helloWork;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        helloWork = SftpAgencyServer.start(dir.resolve("hellowork-sftp"), 0, "tsunagi", PASSWORD);
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + helloWork.port() + " " + PublicKeyEntry.toString(helloWork.hostKey()) + "\n");
        String sftp = "host: 127.0.0.1\n%1$sport: %2$d\n%1$susername: tsunagi\n%1$spassword: \"%3$s\"\n"
                + "%1$sknownHostsFile: \"%4$s\"\n%1$sstrictHostKeyChecking: \"yes\"\n";
        String source = sftp.formatted("        ", helloWork.port(), PASSWORD, knownHosts);
        String sink = sftp.formatted("              ", helloWork.port(), PASSWORD, knownHosts);
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            ConnectorConf.copyMappings(conf);
            ConnectorConf.connector(conf, "tsunagi-hellowork", "route", "direct:hellowork-out");
            ConnectorConf.route(conf, "hello-work.yaml", """
                    - route:
                        id: hello-work-in
                        from:
                          uri: "kamelet:tsunagi-sftp-source"
                          parameters:
                            %1$s        directory: from-hellowork
                            delay: 200
                          steps:
                            - to: "tsunagi:intake?agency=tsunagi-hellowork&mappings=hellowork-outcome,hellowork-recommendation"
                            - to:
                                uri: "kamelet:tsunagi-sftp-sink"
                                parameters:
                                  %2$s              directory: to-hellowork
                    - route:
                        id: hello-work-out
                        from:
                          uri: direct:hellowork-out
                          steps:
                            - to: "tsunagi:render?mappings=hellowork-team-support,hellowork-status,hellowork-withdrawal"
                            - to:
                                uri: "kamelet:tsunagi-sftp-sink"
                                parameters:
                                  %2$s              directory: to-hellowork
                    """.formatted(source, sink));
        });
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        helloWork.close();
    }

    @Test
    void whenHelloWorksServerIsGoneHealthNamesItsConnectorRouteDownAndTheGatewayStaysReady() throws Exception {
        JsonNode before = JSON.readTree(health());
        assertThat(before.get("connectors").toString()).contains("{\"route\":\"hello-work-in\",\"status\":\"UP\"}");

        helloWork.close(); // the agency's system is down: the source's polls fail

        JsonNode after = Await.until(() -> {
            JsonNode health = JSON.readTree(health());
            return health.get("connectors").toString().contains("\"route\":\"hello-work-in\",\"status\":\"DOWN\"")
                    ? health : null;
        });
        assertThat(after.get("status").asText()).isEqualTo("UP");
        assertThat(after.get("connectors").toString()).contains("{\"route\":\"hello-work-out\",\"status\":\"UP\"}")
                .contains("\"failure\":\"").doesNotContain(PASSWORD).doesNotContain("127.0.0.1");
        assertThat(OpenApiDocument.problems("Health", after)).as("the health answer is what openapi.json describes").isEmpty();
    }

    private String health() throws java.io.IOException {
        try {
            return gateway.get("/api/v1/health", null).body();
        } catch (java.io.IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theHubsTeamSupportRequestArrivesOnHelloWorksServerAsACsvLineInWindows31J() throws Exception {
        sendTeamSupportRequest();

        byte[] csv = Await.file(toHelloWork(), name -> name.startsWith("referral-") && name.endsWith(".csv"));

        String header = "データ種別,依頼番号,依頼元機関,要請目的,氏名(姓),氏名(名),ﾌﾘｶﾞﾅ(ｾｲ),ﾌﾘｶﾞﾅ(ﾒｲ),生年月日,郵便番号,住所,"
                + "電話番号,電話番号2,メールアドレス,希望連絡方法,課題1,課題2,課題3,課題4,希望支援1,希望支援2,希望支援3,緊急度,"
                + "相談内容,就労状況,職歴・希望職種,月収(円),預貯金(円),負債額(円),依頼元部署,依頼元担当者,依頼元電話番号,"
                + "同意番号,同意日,同意方法,同意期限,支援会議番号";
        String line = "11,REF-2026-000167,tsunagi-hub,01,小林,翔太,ｺﾊﾞﾔｼ,ｼｮｳﾀ,平成6年5月9日,,,"
                + "080-2936-4418,,s.kobayashi.0509@example.jp,2,02,01,,,01,02,,1,"
                + "安定した仕事に就きたいが、面接になると緊張してうまく話せず、不採用が続いて自信をなくしている。"
                + "一人で求人を探すのは不安なので、相談員と一緒にハローワークを利用したい。,2,"
                + "\"希望職種:\"\"物流・倉庫\"\", 常勤。フォークリフト運転技能講習修了。\",,,,"
                + "つなぎ市自立相談支援センター 就労支援担当,岡田 亮介,042-555-0302,CNS-2026-0058,令和8年9月1日,3,令和9年8月31日,";
        assertThat(new String(csv, SJIS)).isEqualTo(header + "\r\n" + line + "\r\n");
        assertThat(csv).isEqualTo((header + "\r\n" + line + "\r\n").getBytes(SJIS));
    }

    @Test
    void helloWorksStatusReportBecomesStatusUpdatesToTheHubAndAMalformedLineIsRejectedAlone() throws Exception {
        sendTeamSupportRequest();
        Await.file(toHelloWork(), name -> name.startsWith("referral-"));
        List<String> lines = List.of(
                // first, a line whose 備考 quote is never closed: rejected alone, the file is still read
                "21,REF-2026-000167,13010-04518261,小林　翔太,ｺﾊﾞﾔｼ ｼｮｳﾀ,03,,R08.09.20,就職支援ナビゲーター 山口,\"面接日程を調整中",
                HelloWorkSystem.line(HelloWorkSystem.OUTCOME_COLUMNS, HelloWorkSystem.outcome("REF-2026-000167", "02", "",
                        "R08.10.01", "チーム支援の対象者として決定。初回面談で就職支援ナビゲーターを選任。")),
                HelloWorkSystem.line(HelloWorkSystem.OUTCOME_COLUMNS, HelloWorkSystem.outcome("REF-2026-000167", "03", "",
                        "令和8年10月15日", "就職支援ナビゲーターによる個別支援を継続中。模擬面接を2回実施し、物流関係の求人3件に応募済み。")),
                HelloWorkSystem.line(HelloWorkSystem.OUTCOME_COLUMNS, HelloWorkSystem.outcome("REF-2026-000167", "05", "",
                        "R08.11.05", "就職先:\"つなぎ運輸(株) 物流センター\", 正社員(フォークリフト), 11月1日入社")));
        HelloWorkSystem.upload(helloWork, "/from-hellowork", "SHIENJOKYO_20261105.csv",
                HelloWorkSystem.file(HelloWorkSystem.OUTCOME_COLUMNS, lines));

        List<String> result = awaitResult("SHIENJOKYO_20261105.csv.result.csv", r -> true);

        assertThat(result).hasSize(5);
        assertThat(result.get(0)).isEqualTo("行番号,結果,紹介ID,メッセージID,理由コード,理由");
        assertThat(result.get(1)).isEqualTo("1,REJECTED,,,mapping.malformed,a quoted value is not closed on its line");
        assertThat(result.get(2)).matches("2,ACCEPTED,REF-2026-000167,[0-9a-f-]{36},,");
        assertThat(result.get(3)).matches("3,ACCEPTED,REF-2026-000167,[0-9a-f-]{36},,");
        assertThat(result.get(4)).matches("4,ACCEPTED,REF-2026-000167,[0-9a-f-]{36},,");
        List<RecipientSimulator.Received> copies = gateway.awaitCopiesFrom("tsunagi-hub", "tsunagi-hellowork", 3);
        assertThat(copies).hasSize(3);
        assertThat(received(copies, result.get(2))).isEqualTo(JSON.readTree("""
                {"messageType":"STATUS_UPDATE","schemaVersion":"1.0","sender":"tsunagi-hellowork","recipient":"tsunagi-hub",
                 "referralId":"REF-2026-000167",
                 "statusUpdate":{"status":"ACCEPTED","effectiveAt":"2026-10-01T00:00:00+09:00",
                   "note":"チーム支援の対象者として決定。初回面談で就職支援ナビゲーターを選任。"}}
                """));
        assertThat(received(copies, result.get(3))).isEqualTo(JSON.readTree("""
                {"messageType":"STATUS_UPDATE","schemaVersion":"1.0","sender":"tsunagi-hellowork","recipient":"tsunagi-hub",
                 "referralId":"REF-2026-000167",
                 "statusUpdate":{"status":"IN_PROGRESS","effectiveAt":"2026-10-15T00:00:00+09:00",
                   "note":"就職支援ナビゲーターによる個別支援を継続中。模擬面接を2回実施し、物流関係の求人3件に応募済み。"}}
                """));
        assertThat(received(copies, result.get(4))).isEqualTo(JSON.readTree("""
                {"messageType":"STATUS_UPDATE","schemaVersion":"1.0","sender":"tsunagi-hellowork","recipient":"tsunagi-hub",
                 "referralId":"REF-2026-000167",
                 "statusUpdate":{"status":"COMPLETED","effectiveAt":"2026-11-05T00:00:00+09:00",
                   "note":"就職先:\\"つなぎ運輸(株) 物流センター\\", 正社員(フォークリフト), 11月1日入社"}}
                """));
        assertPickedUpAndMovedToDone(1);
    }

    @Test
    void helloWorksRecommendationsBecomeReferralsToTheHubAndTheSameFileAgainGivesOnlyDuplicates() throws Exception {
        Map<String, String> badDate = HelloWorkSystem.recommendation(189);
        badDate.put("生年月日", "平成31年5月1日");   // 令和元年5月1日: no such day in 平成
        Map<String, String> young = HelloWorkSystem.recommendation(190);
        young.putAll(Map.of("氏名(姓)", "髙橋", "氏名(名)", "美結", "ﾌﾘｶﾞﾅ(ｾｲ)", "ﾀｶﾊｼ", "ﾌﾘｶﾞﾅ(ﾒｲ)", "ﾐﾕ",
                "生年月日", "平成10年4月5日", "郵便番号", "", "市区町村コード", "", "住所", "", "電話番号", "080-4417-2093"));
        young.putAll(Map.of("課題1", "02", "課題2", "12", "課題3", "", "希望支援1", "03", "希望支援2", "", "緊急度", "",
                "相談内容", "\"働きたい\"が、人と話すのが怖く面接に行けない。家族とも疎遠で、相談できる人がいない。",
                "月収(円)", "", "預貯金(円)", "52,000", "負債額(円)", ""));
        young.put("収入・資産備考", "");
        young.put("就労状況", "");
        young.put("職歴等", "高校卒業後、コンビニ等のアルバイトを転々。現在は無職。");
        byte[] file = HelloWorkSystem.file(HelloWorkSystem.RECOMMENDATION_COLUMNS, List.of(
                HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, HelloWorkSystem.recommendation(188)),
                HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, badDate),
                HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, young)));
        HelloWorkSystem.upload(helloWork, "/from-hellowork", "RIYOKANSHO_20261106.csv", file);

        List<String> result = awaitResult("RIYOKANSHO_20261106.csv.result.csv", r -> true);

        assertThat(result).hasSize(4);
        assertThat(result.get(1)).matches("1,ACCEPTED,HW-2026-000188,[0-9a-f-]{36},,");
        assertThat(result.get(2)).isEqualTo("2,REJECTED,,,mapping.invalid_value,\"column 生年月日 -> referral.subject.birthDate: "
                + "not a valid Japanese era date: no such day, or the day is outside the era it names\"");
        assertThat(result.get(3)).matches("3,ACCEPTED,HW-2026-000190,[0-9a-f-]{36},,");
        List<RecipientSimulator.Received> copies = gateway.awaitCopiesFrom("tsunagi-hub", "tsunagi-hellowork", 2);
        assertThat(received(copies, result.get(1))).isEqualTo(JSON.readTree("""
                {"messageType":"REFERRAL","schemaVersion":"1.0","sender":"tsunagi-hellowork","recipient":"tsunagi-hub",
                 "referralId":"HW-2026-000188",
                 "referral":{"purpose":"CONSULTATION_REFERRAL",
                   "subject":{"name":{"family":"伊藤","given":"大輔"},"kana":{"family":"イトウ","given":"ダイスケ"},
                     "birthDate":"1987-01-25",
                     "address":{"postalCode":"198-0025","municipalityCode":"139998","line":"東京都つなぎ市東町五丁目2番10号 ハイム東町302"},
                     "contact":{"phones":["090-7265-0134"],"preferredChannel":"PHONE"}},
                   "issues":["MULTIPLE_DEBTS","ECONOMIC_HARDSHIP","JOB_SEARCH_DIFFICULTY"],"domains":["NEEDY"],
                   "requestedServices":["SELF_RELIANCE_CONSULTATION","HOUSEHOLD_BUDGET_IMPROVEMENT"],
                   "urgency":"PROMPT",
                   "chiefComplaint":"職業相談の中で、借金の返済に追われて生活が苦しく、仕事探しに集中できないとの話があった。本人は債務整理も含めて相談したいと希望しており、自立相談支援機関の利用を勧めたところ了承された。",
                   "employment":{"status":"UNEMPLOYED_SEEKING","note":"2026年8月に建設会社(現場作業)を自己都合で退職。雇用保険の基本手当を受給中。"},
                   "incomeAssets":{"monthlyIncomeYen":168000,"savingsYen":30000,"debtYen":2350000,
                     "note":"消費者金融3社とクレジットカードのリボ払い。毎月の返済額は約9万円。"},
                   "referrer":{"department":"ハローワークつなぎ 職業相談部門","staffName":"木村 拓也","phone":"042-555-0510"},
                   "basis":{"consent":{"consentId":"HWC-2026-000188","givenBy":"SUBJECT",
                     "obtainedAt":"2026-10-06T00:00:00+09:00","obtainedBy":"tsunagi-hellowork","method":"VERBAL_RECORDED",
                     "recipients":[{"agencyId":"tsunagi-hub"}],"purposes":["CONSULTATION_REFERRAL"],
                     "dataCategories":["IDENTITY","CONTACT","ADDRESS","ISSUES","NARRATIVE","EMPLOYMENT","INCOME_ASSETS"],
                     "expiresAt":"2028-03-31T23:59:59+09:00"}}}}
                """));
        JsonNode second = received(copies, result.get(3));
        assertThat(second.get("referral").get("subject")).isEqualTo(JSON.readTree("""
                {"name":{"family":"髙橋","given":"美結"},"kana":{"family":"タカハシ","given":"ミユ"},"birthDate":"1998-04-05",
                 "contact":{"phones":["080-4417-2093"],"preferredChannel":"PHONE"}}
                """));
        assertThat(second.get("referral").get("issues")).isEqualTo(JSON.readTree("[\"JOB_SEARCH_DIFFICULTY\",\"LONELINESS_ISOLATION\"]"));
        assertThat(second.get("referral").get("urgency").asText()).isEqualTo("NORMAL");
        assertThat(second.get("referral").get("chiefComplaint").asText()).startsWith("\"働きたい\"が、");
        assertThat(second.get("referral").get("employment")).isEqualTo(JSON.readTree(
                "{\"status\":\"UNEMPLOYED_SEEKING\",\"note\":\"高校卒業後、コンビニ等のアルバイトを転々。現在は無職。\"}"));
        assertThat(second.get("referral").get("incomeAssets")).isEqualTo(JSON.readTree("{\"savingsYen\":52000}"));
        assertPickedUpAndMovedToDone(1);

        HelloWorkSystem.upload(helloWork, "/from-hellowork", "RIYOKANSHO_20261106.csv", file);
        List<String> again = awaitResult("RIYOKANSHO_20261106.csv.result.csv", r -> r.size() > 1 && r.get(1).contains("DUPLICATE"));

        assertThat(again.get(1)).isEqualTo("1,DUPLICATE,HW-2026-000188," + result.get(1).split(",")[3]
                + ",message.duplicate,this record was accepted before");
        assertThat(again.get(2)).isEqualTo(result.get(2));
        assertThat(again.get(3)).startsWith("3,DUPLICATE,HW-2026-000190,").endsWith(",message.duplicate,this record was accepted before");
        assertThat(gateway.copiesQueuedFor("tsunagi-hub")).isEqualTo(2);
        assertThat(gateway.copiesFrom("tsunagi-hub", "tsunagi-hellowork")).hasSize(2);
        assertPickedUpAndMovedToDone(2);
    }

    @Test
    void theHubsStatusOnAHelloWorkReferralArrivesAsAStatusCsvFile() throws Exception {
        HelloWorkSystem.upload(helloWork, "/from-hellowork", "RIYOKANSHO_20261107.csv", HelloWorkSystem.file(
                HelloWorkSystem.RECOMMENDATION_COLUMNS,
                List.of(HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, HelloWorkSystem.recommendation(201)))));
        awaitResult("RIYOKANSHO_20261107.csv.result.csv", r -> true);
        gateway.awaitCopies("tsunagi-hub", 1);
        ObjectNode accepted = gateway.sample("F9-hub-to-tax-status-accepted", m -> {
            m.put("recipient", "tsunagi-hellowork");
            m.put("referralId", "HW-2026-000201");
            ((ObjectNode) m.get("statusUpdate")).put("effectiveAt", "2026-11-20T09:30:00+09:00")
                    .put("note", "紹介を受理しました。11月24日(火)に初回面談、\"家計表\"を持参いただきます。");
        });
        var answer = gateway.send(accepted);
        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);

        // Hello Work also gets the gateway's notice that its referral reached the hub (受信): the hub's 受理 is this one
        byte[] csv = Await.file(toHelloWork(), name -> name.startsWith("status-update-") && name.endsWith(".csv"),
                content -> new String(content, SJIS).contains(",tsunagi-hub,"));

        assertThat(csv).isEqualTo(("データ種別,依頼番号,状況コード,理由コード,状況日,連絡元機関,備考\r\n"
                + "41,HW-2026-000201,02,,令和8年11月20日,tsunagi-hub,"
                + "\"紹介を受理しました。11月24日(火)に初回面談、\"\"家計表\"\"を持参いただきます。\"\r\n").getBytes(SJIS));
    }

    @Test
    void aWithdrawnConsentReachesHelloWorkAsAWithdrawalCsvFile() throws Exception {
        sendTeamSupportRequest();
        Await.file(toHelloWork(), name -> name.startsWith("referral-"));
        ObjectNode withdrawal = gateway.sample("F10-hub-consent-withdrawal", m -> {
            m.put("recipient", "tsunagi-hellowork");
            m.put("referralId", "REF-2026-000167");
            ((ObjectNode) m.get("consentWithdrawal")).put("consentId", "CNS-2026-0058")
                    .put("withdrawnAt", "2026-11-20T16:30:00+09:00").put("method", "VERBAL_RECORDED");
        });
        var answer = gateway.send(withdrawal);
        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);

        byte[] csv = Await.file(toHelloWork(), name -> name.startsWith("consent-withdrawal-") && name.endsWith(".csv"));

        assertThat(csv).isEqualTo(("データ種別,依頼番号,同意番号,撤回日,撤回受付機関,撤回方法\r\n"
                + "51,REF-2026-000167,CNS-2026-0058,令和8年11月20日,tsunagi-hub,2\r\n").getBytes(SJIS));
    }

    /** The hub's F4 request (the sample), its employment note with a comma and quotes as staff write them. */
    private void sendTeamSupportRequest() throws Exception {
        ObjectNode request = gateway.sample("F4-hub-to-hellowork-team-support", m -> ((ObjectNode) m.get("referral").get("employment"))
                .put("note", "希望職種:\"物流・倉庫\", 常勤。フォークリフト運転技能講習修了。"));
        var answer = gateway.send(request);
        assertThat(answer.statusCode()).as(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo(202);
    }

    /**
     * What the hub received for the record of that result line (copies of different referrals may arrive in any
     * order), without what the gateway adds in transit (the copy's own messageId, its signature, the provenance block)
     * and the connector's createdAt, after checking that the provenance names Hello Work as the original sender.
     */
    private static JsonNode received(List<RecipientSimulator.Received> copies, String resultLine) {
        String messageId = resultLine.split(",")[3];
        ObjectNode message = copies.stream().map(copy -> (ObjectNode) JsonCodec.parse(copy.body()))
                .filter(m -> m.get("provenance").get("originalMessageId").asText().equals(messageId))
                .findFirst().orElseThrow(() -> new AssertionError("no copy of the record " + resultLine));
        assertThat(message.get("provenance").get("originalSender").asText()).isEqualTo("tsunagi-hellowork");
        message.remove(List.of("messageId", "createdAt", "signature", "provenance"));
        return message;
    }

    private Path toHelloWork() throws Exception {
        return Files.createDirectories(helloWork.root().resolve("to-hellowork"));
    }

    @Test
    void aFileWhoseHeaderStillHasTheOldNameOfARenamedColumnIsRefusedWholeAndNothingIsSubmitted() throws Exception {
        // the mapping reads 電話番号; Hello Work's system still writes the column as 連絡先
        List<String> oldHeader = HelloWorkSystem.RECOMMENDATION_COLUMNS.stream().map(c -> c.equals("電話番号") ? "連絡先" : c).toList();
        byte[] file = HelloWorkSystem.file(oldHeader, List.of(
                HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, HelloWorkSystem.recommendation(188))));
        HelloWorkSystem.upload(helloWork, "/from-hellowork", "RIYOKANSHO_20261201.csv", file);

        List<String> result = awaitResult("RIYOKANSHO_20261201.csv.result.csv", r -> true);

        assertThat(result).containsExactly("行番号,結果,紹介ID,メッセージID,理由コード,理由",
                "0,REJECTED,,,mapping.header_mismatch,the header lacks the mapped column(s) 電話番号 (no record was read)");
        assertThat(gateway.copiesQueuedFor("tsunagi-hub")).isZero();
    }

    @Test
    void aFileWhoseNameCannotBeHandledIsRenamedIntoFailedOnTheServerWithAResultAndAnAuditEntryAndTheLinkKeepsWorking() throws Exception {
        java.io.PrintStream originalErr = System.err;
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(logs, true, StandardCharsets.UTF_8));
        try {
            refusedNames();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(logs.toString(StandardCharsets.UTF_8)).as("no refused name in the log: it may hold a person's name")
                .contains("name-refused-").doesNotContain("RRRRRRRRRR", "長長", "RIYOKANSHO\n", "RIYOKANSHO\r", "RIYOKANSHO_*",
                        "RIYOKANSHO_?", "RIYOKANSHO_half", "\\RIYOKANSHO");
    }

    private void refusedNames() throws Exception {
        Path from = Files.createDirectories(helloWork.root().resolve("from-hellowork"));
        List<String> hostile = List.of(
                "R".repeat(246) + ".csv",          // 250 bytes: read, but no done/ or result name fitted the server's 255
                "長".repeat(80) + ".csv",           // 244 bytes
                "RIYOKANSHO\nX.csv",               // a line break
                "RIYOKANSHO\r.csv",                // a carriage return
                "\tRIYOKANSHO.csv",                // a tab
                "..\\..\\RIYOKANSHO.csv",          // backslashes: Camel makes them separators, a path out of the directory
                "RIYOKANSHO_*.csv",                // a pattern to the SFTP client: not fetched, and every later poll failed
                "RIYOKANSHO_?.csv",
                ".RIYOKANSHO_half.csv");           // a dot name left for an hour: never read, never answered
        int record = 300;
        for (String name : hostile) {
            Path file = Files.write(from.resolve(name), HelloWorkSystem.file(HelloWorkSystem.RECOMMENDATION_COLUMNS,
                    List.of(HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, HelloWorkSystem.recommendation(record++)))));
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
        }

        List<Path> results = Await.until(() -> {
            List<Path> r = visible(from.resolve("failed")).stream().filter(n -> n.endsWith(".result.csv")).map(n -> from.resolve("failed").resolve(n)).toList();
            return r.size() == hostile.size() ? r : null;
        });

        for (Path result : results) {
            List<String> lines = List.of(new String(Files.readAllBytes(result), SJIS).split("\r\n"));
            assertThat(lines.get(0)).isEqualTo("行番号,結果,紹介ID,メッセージID,理由コード,理由");
            assertThat(lines.get(1)).startsWith("0,REJECTED,,,file.name_refused,");
            assertThat(result.getFileName().toString()).matches("[0-9-]+-name-refused-[0-9a-f]{12}\\.result\\.csv");
            assertThat(result.resolveSibling(result.getFileName().toString().replace(".result.csv", ""))).exists();
        }
        try (var left = Files.list(from)) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("nothing left in the server's directory").isEmpty();
        }
        HelloWorkSystem.upload(helloWork, "/from-hellowork", "RIYOKANSHO_20261210.csv", HelloWorkSystem.file(
                HelloWorkSystem.RECOMMENDATION_COLUMNS,
                List.of(HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, HelloWorkSystem.recommendation(320)))));
        assertThat(awaitResult("RIYOKANSHO_20261210.csv.result.csv", r -> true).get(1)).startsWith("1,ACCEPTED,HW-2026-000320,");
        assertThat(gateway.awaitCopiesFrom("tsunagi-hub", "tsunagi-hellowork", 1)).hasSize(1);
        assertThat(gateway.copiesQueuedFor("tsunagi-hub")).as("no record of a refused file was taken in").isEqualTo(1);
        assertThat(visible(helloWork.root().resolve("to-hellowork"))).filteredOn(n -> n.endsWith(".result.csv"))
                .containsExactly("RIYOKANSHO_20261210.csv.result.csv");

        List<String> audited = FileSourceAudit.refusals(gateway);
        assertThat(audited).as("one audit entry per refused file, naming only where it went")
                .hasSize(hostile.size()).allMatch(outcome -> outcome.matches("failed/[0-9-]+-name-refused-[0-9a-f]{12}"));
        assertThat(FileSourceAudit.trail(gateway)).doesNotContain("RRRRRRRRRR", "長長", "RIYOKANSHO");
    }

    @Test
    void namesWithDoubleDotsQuotesOrShellCharactersAreReadOnceAndAnsweredLikeAnyOther() throws Exception {
        Path from = Files.createDirectories(helloWork.root().resolve("from-hellowork"));
        List<String> names = List.of("RIYOKANSHO..20261211.csv", "RIYOKANSHO_20261212.csv..",
                "RIYOKANSHO [1].csv", "RIYOKANSHO_$HOME;`id`.csv", "RIYOKANSHO_'\"<>|.csv", "RIYOKANSHO_%2e%2e%2f.csv");
        int record = 330;
        for (String name : names) {
            Files.write(from.resolve(name), HelloWorkSystem.file(HelloWorkSystem.RECOMMENDATION_COLUMNS,
                    List.of(HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, HelloWorkSystem.recommendation(record++)))));
        }

        List<String> answered = Await.until(() -> {
            List<String> r = visible(helloWork.root().resolve("to-hellowork")).stream().filter(n -> n.endsWith(".result.csv")).toList();
            return r.size() >= names.size() ? r : null;
        });

        assertThat(answered).containsExactlyInAnyOrderElementsOf(names.stream().map(n -> n + ".result.csv").toList());
        List<String> done = Await.until(() -> visible(from.resolve("done")).size() == names.size() ? visible(from.resolve("done")) : null);
        assertThat(done).allMatch(n -> names.stream().anyMatch(name -> n.matches("[0-9-]+-" + java.util.regex.Pattern.quote(name))));
        assertThat(visible(from)).containsExactly("done");
        assertThat(gateway.awaitCopiesFrom("tsunagi-hub", "tsunagi-hellowork", names.size())).hasSize(names.size());
    }

    private void assertPickedUpAndMovedToDone(int files) throws Exception {
        Path from = helloWork.root().resolve("from-hellowork");
        List<String> done = Await.until(() -> {
            List<String> names = visible(from.resolve("done"));
            return names.size() >= files ? names : null;
        });
        assertThat(done).hasSize(files).allMatch(n -> n.endsWith(".csv"));
        assertThat(visible(from)).containsExactly("done");
    }

    private static List<String> visible(Path directory) throws java.io.IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    private List<String> awaitResult(String name, Predicate<List<String>> ready) throws Exception {
        return Await.until(() -> {
            Path file = helloWork.root().resolve("to-hellowork").resolve(name);
            if (!Files.exists(file)) {
                return null;
            }
            List<String> lines = new ArrayList<>(List.of(new String(Files.readAllBytes(file), SJIS).split("\r\n")));
            return ready.test(lines) ? lines : null;
        });
    }
}
