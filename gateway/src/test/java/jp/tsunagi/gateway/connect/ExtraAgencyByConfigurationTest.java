package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagi.connectors.simulator.AgencyFolder;
import jp.tsunagi.connectors.text.FixedWidthText;
import jp.tsunagi.gateway.cli.CliRun;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.signature.KeyMaterial;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sixth agency, the council of social welfare (社会福祉協議会), joins with files alone: an agency entry, two policy
 * flows and a ceiling, two CSV mappings and a route (src/test/resources/extra-agency/), and its key pair as
 * {@code keys init} writes it. No Java of the product changes.
 */
class ExtraAgencyByConfigurationTest {
    private static final Path FILES = Path.of("src/test/resources/extra-agency");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "受付番号,氏,名,ｼ,ﾒｲ,生年月日,電話番号,相談種別1,相談種別2,相談内容,緊急,同意番号,同意日,同意期限,担当部署,担当者";

    @TempDir
    Path dir;
    AgencyFolder shakyo;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        shakyo = AgencyFolder.create(dir.resolve("exchange/shakyo"));
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, this::addTheCouncil);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** What an integrator does: append and copy files, then create the key pair. */
    private void addTheCouncil(Path conf) throws IOException {
        Path keys = dir.resolve("keys");
        Files.writeString(conf.resolve("agencies.yaml"), Files.readString(conf.resolve("agencies.yaml"))
                + Files.readString(FILES.resolve("agency.yaml")).replace("KEYS/", keys + "/"));
        String policy = Files.readString(conf.resolve("policy.yaml"));
        policy = policy.replaceFirst("(?m)^flows:\n", "flows:\n" + Files.readString(FILES.resolve("policy-flows.yaml")));
        policy = policy.replaceFirst("(?m)^ceilings:\n", "ceilings:\n" + Files.readString(FILES.resolve("policy-ceiling.yaml")));
        Files.writeString(conf.resolve("policy.yaml"), policy);
        ConnectorConf.copyMappings(conf);
        for (String mapping : List.of("shakyo-referral.yaml", "shakyo-status.yaml")) {
            Files.copy(FILES.resolve("mappings").resolve(mapping), conf.resolve("mappings").resolve(mapping));
        }
        ConnectorConf.route(conf, "shakyo.yaml", Files.readString(FILES.resolve("routes/shakyo.yaml"))
                .replace("EXCHANGE", shakyo.base().toString()));
        KeyMaterial.writeFiles(keys, "tsunagi-shakyo", "つなぎ市社会福祉協議会");
        assertThat(configCheck(conf)).isEqualTo("valid");
    }

    private static String configCheck(Path conf) {
        CliRun check = CliRun.run("config", "check", "--conf", conf.toString());
        return check.exit() == 0 ? "valid" : "exit " + check.exit() + ": " + check.out() + check.err();
    }

    @Test
    void theCouncilsCsvLinesBecomeReferralsToTheHubAndABadLineIsRejectedAlone() throws Exception {
        shakyo.drop("TSUNAGI_SK_20261120.csv", csv(
                "SK-2026-00031,渡辺,真由美,ﾜﾀﾅﾍﾞ,ﾏﾕﾐ,昭和60年3月9日,080-2231-4410,01,02,"
                        + "\"緊急小口資金の相談。家賃を2か月滞納し、\"\"カードローン\"\"の返済もある。\",1,SKC-2026-0031,"
                        + "令和8年11月2日,令和10年11月1日,つなぎ市社協 生活福祉資金係,中村 由紀",
                "SK-2026-00032,小林,誠,ｺﾊﾞﾔｼ,ﾏｺﾄ,平成31年5月1日,,01,,,0,SKC-2026-0032,令和8年11月2日,令和10年11月1日,"
                        + "つなぎ市社協 生活福祉資金係,"));

        byte[] result = Await.file(shakyo.in(), name -> name.equals("TSUNAGI_SK_20261120.csv.result.csv"));

        List<String> lines = List.of(new String(result, FixedWidthText.WINDOWS_31J).split("\r\n"));
        assertThat(lines.get(1)).startsWith("1,ACCEPTED,SK-2026-00031,");
        assertThat(lines.get(2)).startsWith("2,REJECTED,,,mapping.invalid_value,").contains("生年月日 -> referral.subject.birthDate");
        JsonNode referral = JsonCodec.parse(gateway.awaitCopies("tsunagi-hub", 1).get(0).body());
        assertThat(referral.get("sender").asText()).isEqualTo("tsunagi-shakyo");
        assertThat(referral.get("referral")).isEqualTo(JSON.readTree("""
                {"purpose":"CONSULTATION_REFERRAL",
                 "subject":{"name":{"family":"渡辺","given":"真由美"},"kana":{"family":"ワタナベ","given":"マユミ"},
                   "birthDate":"1985-03-09","contact":{"phones":["080-2231-4410"]}},
                 "issues":["ECONOMIC_HARDSHIP","MULTIPLE_DEBTS"],
                 "requestedServices":["SELF_RELIANCE_CONSULTATION","LIVELIHOOD_WELFARE_LOAN"],
                 "urgency":"PROMPT",
                 "chiefComplaint":"緊急小口資金の相談。家賃を2か月滞納し、\\"カードローン\\"の返済もある。",
                 "referrer":{"department":"つなぎ市社協 生活福祉資金係","staffName":"中村 由紀"},
                 "basis":{"consent":{"consentId":"SKC-2026-0031","givenBy":"SUBJECT",
                   "obtainedAt":"2026-11-02T00:00:00+09:00","obtainedBy":"tsunagi-shakyo","method":"WRITTEN",
                   "recipients":[{"agencyId":"tsunagi-hub"}],"purposes":["CONSULTATION_REFERRAL"],
                   "dataCategories":["IDENTITY","CONTACT","ISSUES","NARRATIVE"],
                   "expiresAt":"2028-11-01T23:59:59+09:00"}}}
                """));
    }

    @Test
    void theHubsAnswerReachesTheCouncilAsACsvLineInItsOwnWords() throws Exception {
        shakyo.drop("A.csv", csv("SK-2026-00041,渡辺,真由美,ﾜﾀﾅﾍﾞ,ﾏﾕﾐ,昭和60年3月9日,,03,,,0,SKC-2026-0041,令和8年11月2日,"
                + "令和10年11月1日,つなぎ市社協 生活福祉資金係,"));
        gateway.awaitCopies("tsunagi-hub", 1);
        ObjectNode accepted = gateway.sample("F9-hub-to-tax-status-accepted", m -> {
            m.put("recipient", "tsunagi-shakyo");
            m.put("referralId", "SK-2026-00041");
            ((ObjectNode) m.get("statusUpdate")).put("effectiveAt", "2026-11-20T09:30:00+09:00")
                    .put("note", "受理しました。初回面談は11月25日の予定です。");
        });
        assertThat(gateway.send(accepted).statusCode()).isEqualTo(202);

        byte[] status = Await.file(shakyo.in(), name -> name.startsWith("status-update-"),
                content -> new String(content, FixedWidthText.WINDOWS_31J).contains(",受理,"));

        // before it, the gateway's own notice that the referral reached the hub (受信), in the same layout
        assertThat(new String(Await.file(shakyo.in(), name -> name.startsWith("status-update-"),
                content -> new String(content, FixedWidthText.WINDOWS_31J).contains(",受信,")), FixedWidthText.WINDOWS_31J))
                .startsWith("受付番号,状況,状況日,連絡元,備考\r\nSK-2026-00041,受信,").contains(",gateway,[delivery.received]");
        assertThat(new String(status, FixedWidthText.WINDOWS_31J)).isEqualTo("受付番号,状況,状況日,連絡元,備考\r\n"
                + "SK-2026-00041,受理,令和8年11月20日,tsunagi-hub,受理しました。初回面談は11月25日の予定です。\r\n");
    }

    private static byte[] csv(String... lines) {
        return (HEADER + "\r\n" + String.join("\r\n", lines) + "\r\n").getBytes(FixedWidthText.WINDOWS_31J);
    }
}
