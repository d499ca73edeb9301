package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import jp.tsunagi.connectors.simulator.AgencyFolder;
import jp.tsunagi.connectors.simulator.TaxDeskSystem;
import jp.tsunagi.connectors.text.FixedWidthText;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.intake.RecipientSimulator;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tax desk's folder connector against a real gateway: fixed-width Windows-31J files in, result and status files out. */
class TaxDeskConnectorTest {
    private static final Charset SJIS = FixedWidthText.WINDOWS_31J;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    AgencyFolder taxDesk;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        taxDesk = AgencyFolder.create(dir.resolve("exchange/tax-desk"));
        gateway = new GatewayFixture(dir, TestDatabases.Kind.H2, conf -> {
            ConnectorConf.copyMappings(conf);
            ConnectorConf.connector(conf, "tsunagi-tax", "route", "direct:tax-desk-out");
            ConnectorConf.route(conf, "tax-desk.yaml", ConnectorConf.taxDeskRoutes(taxDesk));
        });
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void eachRecordOfADroppedFileBecomesAReferralToTheHubAndTheResultFileNamesEveryRecord() throws Exception {
        byte[] badBirthDate = TaxDeskSystem.record(new TaxDeskSystem.Referral("TAX-2026-000002", "鈴木", "一郎", "ｽｽﾞｷ",
                "ｲﾁﾛｳ", "5011301", "CNS-2026-000002", "5080615", "5090614"));
        taxDesk.drop("TSUNAGI_20261122.DAT", TaxDeskSystem.file(List.of(
                TaxDeskSystem.record(TaxDeskSystem.resident(1)), badBirthDate, TaxDeskSystem.record(TaxDeskSystem.resident(3)))));

        List<String> result = awaitLines("TSUNAGI_20261122.DAT.result.csv");

        assertThat(result.get(0)).isEqualTo("行番号,結果,紹介ID,メッセージID,理由コード,理由");
        assertThat(result.get(1)).startsWith("1,ACCEPTED,TAX-2026-000001,");
        assertThat(result.get(2)).isEqualTo("2,REJECTED,,,mapping.invalid_value,\"bytes 98-104 -> referral.subject.birthDate: "
                + "not a valid Japanese era date: no such day, or the day is outside the era it names\"");
        assertThat(result.get(3)).startsWith("3,ACCEPTED,TAX-2026-000003,");
        List<RecipientSimulator.Received> copies = gateway.awaitCopies("tsunagi-hub", 2);
        JsonNode first = JsonCodec.parse(copies.get(0).body());
        assertThat(first.get("sender").asText()).isEqualTo("tsunagi-tax");
        assertThat(first.get("referralId").asText()).isEqualTo("TAX-2026-000001");
        assertThat(first.get("referral")).isEqualTo(JSON.readTree("""
                {"purpose":"CONSULTATION_REFERRAL",
                 "subject":{"name":{"family":"佐藤","given":"健一"},"kana":{"family":"サトウ","given":"ケンイチ"},
                   "birthDate":"1979-08-21",
                   "address":{"postalCode":"198-0012","municipalityCode":"139998",
                              "line":"東京都つなぎ市本町二丁目３番４号　つなぎハイツ１０１"},
                   "contact":{"phones":["090-3814-2267"]}},
                 "issues":["TAX_FEE_ARREARS","ECONOMIC_HARDSHIP"],"domains":["NEEDY"],
                 "requestedServices":["SELF_RELIANCE_CONSULTATION","HOUSEHOLD_BUDGET_IMPROVEMENT"],
                 "urgency":"NORMAL",
                 "chiefComplaint":"収入が減り住民税と国保税を払えない月が続いている。家計全体を見直したい。",
                 "taxArrears":{"items":[
                   {"taxItem":"INDIVIDUAL_RESIDENT_TAX","fiscalYear":2025,"amountYen":96800},
                   {"taxItem":"NATIONAL_HEALTH_INSURANCE_TAX","fiscalYear":2024,"amountYen":61300}]},
                 "referrer":{"department":"つなぎ市税務課 納税係","staffName":"高橋 美咲","phone":"042-555-0131"},
                 "basis":{"consent":{"consentId":"CNS-2026-000001","givenBy":"SUBJECT",
                   "obtainedAt":"2026-06-15T00:00:00+09:00","obtainedBy":"tsunagi-tax","method":"WRITTEN",
                   "recipients":[{"agencyId":"tsunagi-hub"}],"purposes":["CONSULTATION_REFERRAL","ASSESSMENT"],
                   "dataCategories":["IDENTITY","CONTACT","ADDRESS","ISSUES","NARRATIVE","TAX_ARREARS"],
                   "expiresAt":"2027-06-14T23:59:59+09:00"}}}
                """));
        // the file is moved once the route has completed, just after the result file is written
        Path done = taxDesk.out().resolve("done");
        assertThat(Await.until(() -> Files.isDirectory(done) && Files.list(done).findAny().isPresent() ? Files.list(done).toList() : null))
                .hasSize(1);
        assertThat(taxDesk.pending()).isEmpty();
    }

    @Test
    void theSameFileDroppedAgainCreatesNoSecondReferral() throws Exception {
        byte[] file = TaxDeskSystem.file(List.of(TaxDeskSystem.record(TaxDeskSystem.resident(11))));
        taxDesk.drop("A.DAT", file);
        assertThat(awaitLines("A.DAT.result.csv").get(1)).startsWith("1,ACCEPTED,TAX-2026-000011,");
        Await.until(() -> taxDesk.pending().isEmpty() ? true : null); // moved to done/ once the route completed

        taxDesk.drop("A.DAT", file);
        List<String> again = awaitLines("A.DAT.result.csv", lines -> lines.get(1).contains("DUPLICATE"));

        assertThat(again.get(1)).startsWith("1,DUPLICATE,TAX-2026-000011,").endsWith(",message.duplicate,this record was accepted before");
        assertThat(gateway.copiesQueuedFor("tsunagi-hub")).isEqualTo(1);
        assertThat(gateway.recipients.processedBy("tsunagi-hub")).hasSize(1);
    }

    @Test
    void theHubsStatusUpdateReachesTheTaxSystemAsAFixedWidthRecord() throws Exception {
        taxDesk.drop("B.DAT", TaxDeskSystem.file(List.of(TaxDeskSystem.record(TaxDeskSystem.resident(21)))));
        awaitLines("B.DAT.result.csv");
        gateway.awaitCopies("tsunagi-hub", 1);
        ObjectNode accepted = gateway.sample("F9-hub-to-tax-status-accepted", m -> {
            m.put("referralId", "TAX-2026-000021");
            ((ObjectNode) m.get("statusUpdate")).put("effectiveAt", "2026-11-20T09:30:00+09:00");
        });
        var answer = gateway.send(accepted);
        assertThat(answer.statusCode()).as(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(202);

        // the hub's 受理 (状況 30), not the gateway's notice of delivery (受信, 20) that comes before it
        byte[] status = Await.file(taxDesk.in(), name -> name.startsWith("status-update-"),
                content -> new String(content, 17, 2, SJIS).equals("30"));

        String expected = "2" + pad("TAX-2026-000021", 16) + "30" + "  " + "5081120" + pad("tsunagi-hub", 20)
                + pad("紹介を受理しました。6月22日に初回面談を予定しています。", 150) + "  ";
        assertThat(status).isEqualTo((expected + "\r\n").getBytes(SJIS));
    }

    @Test
    void aConsentWithdrawnAtTheTaxDeskReachesTheHubThatReceivedTheReferral() throws Exception {
        taxDesk.drop("C.DAT", TaxDeskSystem.file(List.of(TaxDeskSystem.record(TaxDeskSystem.resident(31)))));
        gateway.awaitCopies("tsunagi-hub", 1);

        taxDesk.drop("C-WITHDRAWAL.DAT", TaxDeskSystem.file(List.of(
                TaxDeskSystem.withdrawal("TAX-2026-000031", "CNS-2026-000031", "5081125"))));

        assertThat(awaitLines("C-WITHDRAWAL.DAT.result.csv").get(1)).startsWith("1,ACCEPTED,TAX-2026-000031,");
        JsonNode notice = JsonCodec.parse(gateway.awaitCopies("tsunagi-hub", 2).get(1).body());
        assertThat(notice.get("messageType").asText()).isEqualTo("CONSENT_WITHDRAWAL");
        assertThat(notice.get("sender").asText()).isEqualTo("tsunagi-tax");
        assertThat(notice.get("consentWithdrawal")).isEqualTo(JSON.readTree("""
                {"consentId":"CNS-2026-000031","withdrawnAt":"2026-11-25T00:00:00+09:00","recordedBy":"tsunagi-tax",
                 "method":"WRITTEN"}
                """));
    }

    @Test
    void aFileMixingReferralAndWithdrawalRecordsIsReadRecordByRecordEachWithItsLayout() throws Exception {
        byte[] unknownType = TaxDeskSystem.record(TaxDeskSystem.resident(43));
        unknownType[0] = '5';
        taxDesk.drop("MIXED.DAT", TaxDeskSystem.file(List.of(
                TaxDeskSystem.record(TaxDeskSystem.resident(41)),
                TaxDeskSystem.withdrawal("TAX-2026-000041", "CNS-2026-000041", "5081125"),
                TaxDeskSystem.record(TaxDeskSystem.resident(42)),
                unknownType)));

        List<String> result = awaitLines("MIXED.DAT.result.csv");

        assertThat(result).hasSize(5);
        assertThat(result.get(1)).startsWith("1,ACCEPTED,TAX-2026-000041,");
        // read with the 100-byte withdrawal layout, not refused as a 460-byte referral of the wrong length
        assertThat(result.get(2)).startsWith("2,ACCEPTED,TAX-2026-000041,");
        assertThat(result.get(3)).startsWith("3,ACCEPTED,TAX-2026-000042,");
        assertThat(result.get(4)).startsWith("4,REJECTED,,,mapping.no_match,");
    }

    @Test
    void aFileDroppedWhileTheDatabaseIsDownIsKeptInFailedForAnotherTryWithNoResultThatCallsItRejected() throws Exception {
        gateway.gateway.database().close(); // the store is gone: nothing can be accepted durably

        taxDesk.drop("D.DAT", TaxDeskSystem.file(List.of(TaxDeskSystem.record(TaxDeskSystem.resident(41)))));

        Path failed = taxDesk.out().resolve("failed");
        Await.until(() -> Files.isDirectory(failed) && Files.list(failed).findAny().isPresent() ? failed : null);
        assertThat(Files.list(failed).toList()).singleElement().satisfies(f -> assertThat(f.getFileName().toString()).endsWith("-D.DAT"));
        assertThat(Files.exists(taxDesk.out().resolve("done"))).isFalse();
        assertThat(Files.exists(taxDesk.in().resolve("D.DAT.result.csv"))).isFalse();
    }

    private static String pad(String value, int bytes) {
        return new String(FixedWidthText.pad(value, bytes), SJIS);
    }

    @Test
    void aFileWhoseNameCannotBeHandledEndsInFailedWithAResultAndTheFolderKeepsWorking() throws Exception {
        byte[] file = TaxDeskSystem.file(List.of(TaxDeskSystem.record(TaxDeskSystem.resident(41))));
        Path out = taxDesk.out();
        Files.write(out.resolve("長".repeat(80) + ".DAT"), file); // 244 bytes: Camel's lock file name was too long
        Files.write(out.resolve("A\nB.DAT"), file);             // a line break: never matched, never answered
        Files.write(out.resolve("..\\A*?.DAT"), file);           // a separator and patterns to Camel and SFTP
        Path abandoned = Files.write(out.resolve(".half-written.DAT"), file);
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));

        List<Path> results = Await.until(() -> {
            try (var failed = Files.list(out.resolve("failed"))) {
                List<Path> r = failed.filter(p -> p.getFileName().toString().endsWith(".result.csv")).toList();
                return r.size() == 4 ? r : null;
            } catch (java.nio.file.NoSuchFileException notYet) {
                return null;
            }
        });

        for (Path result : results) {
            List<String> lines = List.of(new String(Files.readAllBytes(result), SJIS).split("\r\n"));
            assertThat(lines.get(1)).startsWith("0,REJECTED,,,file.name_refused,");
            assertThat(result.getFileName().toString()).doesNotContain("長").matches("[0-9-]+-name-refused-[0-9a-f]{12}\\.result\\.csv");
            assertThat(Files.exists(result.resolveSibling(result.getFileName().toString().replace(".result.csv", "")))).isTrue();
        }
        try (var left = Files.list(out)) {
            assertThat(left.filter(Files::isRegularFile).toList()).as("nothing left in the intake folder").isEmpty();
        }
        taxDesk.drop("AFTER.DAT", TaxDeskSystem.file(List.of(TaxDeskSystem.record(TaxDeskSystem.resident(42)))));
        assertThat(awaitLines("AFTER.DAT.result.csv").get(1)).startsWith("1,ACCEPTED,");
        assertThat(FileSourceAudit.refusals(gateway)).as("one audit entry per refused file, naming only where it went")
                .containsExactlyInAnyOrderElementsOf(results.stream()
                        .map(r -> "failed/" + r.getFileName().toString().replace(".result.csv", "")).toList());
        assertThat(FileSourceAudit.trail(gateway)).doesNotContain("長長", "half-written", "A\nB", "A*?");
    }

    private List<String> awaitLines(String name) throws Exception {
        return awaitLines(name, lines -> true);
    }

    private List<String> awaitLines(String name, Predicate<List<String>> ready) throws Exception {
        return Await.until(() -> {
            Path file = taxDesk.in().resolve(name);
            if (!Files.exists(file)) {
                return null;
            }
            List<String> lines = List.of(new String(Files.readAllBytes(file), SJIS).split("\r\n"));
            return ready.test(lines) ? lines : null;
        });
    }
}
