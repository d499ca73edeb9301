package jp.tsunagi.gateway.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The reason given for a requeue or a cancel: required, one line, bounded. */
class DeadLetterDeskTest {
    @Test
    void a_reason_is_one_line_of_at_most_500_characters_and_is_required() {
        assertThat(DeadLetterDesk.reason("  endpoint fixed (ticket 118) ")).isEqualTo("endpoint fixed (ticket 118)");
        assertThat(DeadLetterDesk.reason("送付先のシステムが復旧したため")).isEqualTo("送付先のシステムが復旧したため");
        for (String bad : new String[] {null, "", "   ", "two\nlines", "x".repeat(501)}) {
            assertThatThrownBy(() -> DeadLetterDesk.reason(bad)).as(String.valueOf(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
