package jp.tsunagi.connectors.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagi.connectors.simulator.CareSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The care system's vendor JSON (地域包括支援センター) and the boolean flags such systems carry as codes (同居 1/2). */
class VendorJsonMappingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLivingTogetherFlagIsReadAsTrueOrFalseThroughItsCodeTable() {
        Mapping mapping = Mapping.load(MappingTest.CONF.resolve("houkatsu-household.yaml"));
        String document = new String(CareSystem.household("HK-2026-000001"), StandardCharsets.UTF_8);

        JsonNode together = mapping.read(document.getBytes(StandardCharsets.UTF_8)).get(0).message();
        JsonNode apart = mapping.read(document.replace("\"doukyo\": \"1\"", "\"doukyo\": \"2\"")
                .getBytes(StandardCharsets.UTF_8)).get(0).message();
        MappedRecord unknown = mapping.read(document.replace("\"doukyo\": \"1\"", "\"doukyo\": \"3\"")
                .getBytes(StandardCharsets.UTF_8)).get(0);

        assertThat(together.at("/referral/household/0/livesTogether").isBoolean()).isTrue();
        assertThat(together.at("/referral/household/0/livesTogether").booleanValue()).isTrue();
        assertThat(apart.at("/referral/household/0/livesTogether").booleanValue()).isFalse();
        assertThat(unknown.problem()).isEqualTo(new RecordProblem("mapping.unknown_code",
                "field careRecipient.doukyo -> referral.household[0].livesTogether: not in the code table"));
    }

    @Test
    void otherMembersOfTheHouseholdFollowTheCareRecipient() throws Exception {
        Mapping mapping = Mapping.load(MappingTest.CONF.resolve("houkatsu-household.yaml"));
        String document = new String(CareSystem.household("HK-2026-000002"), StandardCharsets.UTF_8).replace(
                "\"setaiKousei\": []", """
                "setaiKousei": [{"honninTonoKankei": "05", "shimei": {"sei": "佐々木", "mei": "由美"},
                  "kanaShimei": {"sei": "ｻｻｷ", "mei": "ﾕﾐ"}, "seinengappi": "19770930", "doukyo": "2"}]""");

        JsonNode household = mapping.read(document.getBytes(StandardCharsets.UTF_8)).get(0).message().at("/referral/household");

        assertThat(household).hasSize(2);
        assertThat(household.get(1)).isEqualTo(JSON.readTree("""
                {"relationship":"SIBLING","name":{"family":"佐々木","given":"由美"},"kana":{"family":"ササキ","given":"ユミ"},
                 "birthDate":"1977-09-30","livesTogether":false}"""));
    }

    @Test
    void aBooleanFieldWithoutCodesTakesOnlyTrueOrFalseAndIsWrittenBackThroughItsCodes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flags.yaml");
        Files.writeString(file, """
                format: json
                messageType: REFERRAL
                fields:
                  - {path: referralId, field: no}
                  - {path: "referral.household[0].livesTogether", field: together}
                  - {path: "referral.household[1].livesTogether", field: other, codes: {"1": "true", "2": "false"}}
                """);
        Mapping mapping = Mapping.load(file);

        MappedRecord ok = mapping.read("{\"no\":\"A1\",\"together\":true,\"other\":\"2\"}".getBytes(StandardCharsets.UTF_8)).get(0);
        MappedRecord bad = mapping.read("{\"no\":\"A1\",\"together\":\"yes\"}".getBytes(StandardCharsets.UTF_8)).get(0);

        assertThat(ok.message()).isEqualTo(JSON.readTree("""
                {"messageType":"REFERRAL","referralId":"A1",
                 "referral":{"household":[{"livesTogether":true},{"livesTogether":false}]}}"""));
        assertThat(bad.problem()).isEqualTo(new RecordProblem("mapping.invalid_value",
                "field together -> referral.household[0].livesTogether: is not true or false (map the native flag with codes)"));
        assertThat(JSON.readTree(mapping.write(List.of(ok.message())))).isEqualTo(JSON.readTree("""
                {"no":"A1","together":"true","other":"2"}"""));
    }

    @Test
    void aCodeTableOfABooleanFieldMayOnlyNameTrueOrFalse(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("flags.yaml");
        Files.writeString(file, """
                format: json
                messageType: REFERRAL
                fields:
                  - {path: "referral.household[0].livesTogether", field: together, codes: {"1": "yes"}}
                """);

        assertThat(Mapping.check(file)).singleElement().asString()
                .endsWith("referral.household[0].livesTogether: code table value \"yes\" is not a code of the message schema");
    }

    @Test
    void theCareSystemsStatusDocumentIsWrittenWithItsOwnFieldNamesAndCodes() throws Exception {
        Mapping mapping = Mapping.load(MappingTest.CONF.resolve("houkatsu-status.yaml"));

        byte[] written = mapping.write(List.of(JSON.readTree("""
                {"messageType":"STATUS_UPDATE","sender":"tsunagi-hub","recipient":"tsunagi-houkatsu","referralId":"HK-2026-000001",
                 "statusUpdate":{"status":"DECLINED","reason":"PERSON_UNREACHABLE","effectiveAt":"2026-11-20T09:30:00+09:00"}}""")));

        assertThat(JSON.readTree(written)).isEqualTo(JSON.readTree("""
                {"kind":"JOKYO_RENRAKU","iraiNo":"HK-2026-000001","renrakuMoto":"tsunagi-hub","atesaki":"tsunagi-houkatsu",
                 "jokyo":"04","riyu":"04","jokyoNichiji":"2026-11-20T09:30:00+09:00"}"""));
    }
}
