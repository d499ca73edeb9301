package jp.tsunagi.connectors.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jp.tsunagi.connectors.simulator.HelloWorkSystem;
import org.junit.jupiter.api.Test;

/** Hello Work's CSV layouts (conf/mappings/hellowork-*.yaml): which mapping reads which file, codes both ways. */
class HelloWorkMappingTest {
    private static final Path CONF = Path.of("../../conf/mappings");
    private static final Charset SJIS = HelloWorkSystem.WINDOWS_31J;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Mapping outcome = Mapping.load(CONF.resolve("hellowork-outcome.yaml"));
    private final Mapping recommendation = Mapping.load(CONF.resolve("hellowork-recommendation.yaml"));
    private final Mapping status = Mapping.load(CONF.resolve("hellowork-status.yaml"));

    private static byte[] outcomeFile(String... lines) {
        return HelloWorkSystem.file(HelloWorkSystem.OUTCOME_COLUMNS, List.of(lines));
    }

    private static String outcomeLine(String status, String reason, String note) {
        return HelloWorkSystem.line(HelloWorkSystem.OUTCOME_COLUMNS,
                HelloWorkSystem.outcome("REF-2026-000167", status, reason, "R08.11.05", note));
    }

    @Test
    void theDataKindColumnTellsAStatusReportFromARecommendationFile() {
        byte[] report = outcomeFile(outcomeLine("03", "", "支援中"));
        byte[] referrals = HelloWorkSystem.file(HelloWorkSystem.RECOMMENDATION_COLUMNS,
                List.of(HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, HelloWorkSystem.recommendation(1))));

        assertThat(outcome.matches(report)).isTrue();
        assertThat(recommendation.matches(report)).isFalse();
        assertThat(outcome.matches(referrals)).isFalse();
        assertThat(recommendation.matches(referrals)).isTrue();
    }

    @Test
    void aMalformedFirstLineDoesNotTurnTheWholeFileAwayOnlyItself() {
        byte[] report = outcomeFile("21,REF-2026-000167,13010-04518261,小林　翔太,ｺﾊﾞﾔｼ ｼｮｳﾀ,03,,R08.10.20,山口,\"閉じていない",
                outcomeLine("05", "", "就職"));

        assertThat(outcome.matches(report)).isTrue();
        List<MappedRecord> records = outcome.read(report);
        assertThat(records.get(0).problem().code()).isEqualTo("mapping.malformed");
        assertThat(records.get(1).ok()).isTrue();
    }

    @Test
    void employmentAndEndOfSupportBothCompleteAndAReasonCodeIsReadWithTheQuotedNote() throws Exception {
        List<MappedRecord> records = outcome.read(outcomeFile(
                outcomeLine("05", "", "就職先:\"つなぎ運輸(株)\", 正社員"),
                outcomeLine("06", "03", "本人の希望により支援終了")));

        assertThat(records.get(0).message()).isEqualTo(JSON.readTree("""
                {"messageType":"STATUS_UPDATE","referralId":"REF-2026-000167","recipient":"tsunagi-hub",
                 "statusUpdate":{"status":"COMPLETED","effectiveAt":"2026-11-05T00:00:00+09:00",
                   "note":"就職先:\\"つなぎ運輸(株)\\", 正社員"}}
                """));
        assertThat(records.get(1).message().at("/statusUpdate/status").asText()).isEqualTo("COMPLETED");
        assertThat(records.get(1).message().at("/statusUpdate/reason").asText()).isEqualTo("PERSON_DECLINED");
    }

    @Test
    void aRecommendationWithThousandsSeparatorsAndHalfWidthKanaIsRead() {
        Map<String, String> row = HelloWorkSystem.recommendation(7);
        List<MappedRecord> records = recommendation.read(HelloWorkSystem.file(HelloWorkSystem.RECOMMENDATION_COLUMNS,
                List.of(HelloWorkSystem.line(HelloWorkSystem.RECOMMENDATION_COLUMNS, row))));

        assertThat(records.get(0).problem()).isNull();
        assertThat(records.get(0).message().at("/referral/incomeAssets/debtYen").asInt()).isEqualTo(2_350_000);
        assertThat(records.get(0).message().at("/referral/subject/kana/given").asText()).isEqualTo("ダイスケ");
        assertThat(records.get(0).message().at("/referral/subject/birthDate").asText()).isEqualTo("1987-01-25");
    }

    @Test
    void theHubsCompletionIsWrittenAsEndOfSupportNeverAsPlacedInAJob() throws Exception {
        ObjectNode message = (ObjectNode) JSON.readTree("""
                {"messageType":"STATUS_UPDATE","sender":"tsunagi-hub","referralId":"HW-2026-000188",
                 "statusUpdate":{"status":"COMPLETED","effectiveAt":"2027-01-15T10:00:00+09:00","note":"家計の見直しが完了"}}
                """);

        assertThat(new String(status.write(List.of(message)), SJIS)).isEqualTo(
                "データ種別,依頼番号,状況コード,理由コード,状況日,連絡元機関,備考\r\n"
                        + "41,HW-2026-000188,06,,令和9年1月15日,tsunagi-hub,家計の見直しが完了\r\n");
    }
}
