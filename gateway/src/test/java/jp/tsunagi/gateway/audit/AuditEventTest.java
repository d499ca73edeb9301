package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.function.UnaryOperator;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditEventTest {
    private static final AuditEvent BASE = AuditEvent.of(AuditAction.ACCEPTED, "tsunagi-tax");

    @Test
    void an_event_holds_codes_ids_and_pseudonyms() {
        AuditEvent event = BASE.withMessage("7f8e1b7a-0c8e-4a57-9d2c-2f1b0f6f4a10", "REF-2024-0001")
                .withSubject("0123456789abcdef".repeat(4))
                .withCategories(EnumSet.of(DataCategory.TAX_ARREARS, DataCategory.IDENTITY))
                .withBasis(LegalBasis.CONSENT, "consent-2024-001").withOutcome("accepted").withCode("consent.in-scope");

        assertThat(event.categoryList()).as("schema order").isEqualTo("IDENTITY,TAX_ARREARS");
        assertThat(event.basis()).isEqualTo("CONSENT:consent-2024-001");
        assertThat(BASE.withBasis(LegalBasis.VITAL_INTEREST, null).basis()).isEqualTo("VITAL_INTEREST");
        assertThat(BASE.withOutcome("  ").outcome()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"佐藤 健一", "サトウケンイチ", "Sato Kenichi", "090-1234-5678 call", "a\nb", "<script>"})
    void free_text_and_names_are_refused_in_every_field_without_being_repeated(String text) {
        for (UnaryOperator<AuditEvent> field : java.util.List.<UnaryOperator<AuditEvent>>of(
                e -> e.withMessage(text, null), e -> e.withMessage(null, text), e -> e.withOutcome(text),
                e -> e.withCode(text), e -> e.withBasis(LegalBasis.CONSENT, text),
                e -> AuditEvent.of(AuditAction.ACCEPTED, text))) {
            assertThatThrownBy(() -> field.apply(BASE)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining(text).hasMessageContaining("never free text");
        }
    }

    @Test
    void a_subject_is_only_ever_a_pseudonym() {
        assertThatThrownBy(() -> BASE.withSubject("サトウケンイチ|1970-01-01"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("サトウ");
        assertThatThrownBy(() -> BASE.withSubject("ABCDEF".repeat(10) + "ABCD")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void an_overlong_code_is_refused() {
        assertThatThrownBy(() -> BASE.withOutcome("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThat(BASE.withOutcome("x".repeat(64)).outcome()).hasSize(64);
    }
}
