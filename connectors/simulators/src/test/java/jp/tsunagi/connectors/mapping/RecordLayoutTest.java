package jp.tsunagi.connectors.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import jp.tsunagi.connectors.simulator.TaxDeskSystem;
import org.junit.jupiter.api.Test;

/** A batch file may mix record types: each record is read with the layout its record type names. */
class RecordLayoutTest {
    private final Mapping referral = Mapping.load(MappingTest.CONF.resolve("tax-desk-referral.yaml"));
    private final Mapping withdrawal = Mapping.load(MappingTest.CONF.resolve("tax-desk-withdrawal.yaml"));

    @Test
    void aTaxDeskFileMixingReferralsAndWithdrawalsIsReadRecordByRecord() {
        byte[] file = TaxDeskSystem.file(List.of(
                TaxDeskSystem.record(TaxDeskSystem.resident(1)),
                TaxDeskSystem.withdrawal("TAX-2026-000001", "CNS-2026-0001", "5080701"),
                TaxDeskSystem.record(TaxDeskSystem.resident(2))));

        List<MappedRecord> records = Mapping.read(List.of(referral, withdrawal), file);

        assertThat(records).allSatisfy(r -> assertThat(r.problem()).isNull());
        assertThat(records).extracting(r -> r.mapping().name())
                .containsExactly("tax-desk-referral", "tax-desk-withdrawal", "tax-desk-referral");
        assertThat(records.get(1).message().at("/consentWithdrawal/consentId").asText()).isEqualTo("CNS-2026-0001");
        assertThat(records.get(2).message().at("/referralId").asText()).isEqualTo("TAX-2026-000002");
    }

    @Test
    void aRecordOfNoneOfTheLayoutsIsRejectedAloneAndTheOthersGoOn() {
        byte[] unknownType = TaxDeskSystem.record(TaxDeskSystem.resident(2));
        unknownType[0] = '5';

        List<MappedRecord> records = Mapping.read(List.of(referral, withdrawal), TaxDeskSystem.file(List.of(
                TaxDeskSystem.record(TaxDeskSystem.resident(1)), unknownType)));

        assertThat(records.get(0).ok()).isTrue();
        assertThat(records.get(1).problem().code()).isEqualTo("mapping.no_match");
        assertThat(records.get(1).mapping()).isNull();
    }

    @Test
    void theFixedRecordTypeIsCheckedOnEveryRecordNotOnlyTheFirst() {
        byte[] withdrawalAsReferral = TaxDeskSystem.record(TaxDeskSystem.resident(2));
        withdrawalAsReferral[0] = '9';

        // read with the referral layout alone, as a route naming one mapping does
        List<MappedRecord> records = referral.read(TaxDeskSystem.file(List.of(
                TaxDeskSystem.record(TaxDeskSystem.resident(1)), withdrawalAsReferral)));

        assertThat(records.get(0).ok()).isTrue();
        assertThat(records.get(1).problem().code()).isEqualTo("mapping.no_match");
    }
}
