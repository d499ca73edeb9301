package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import jp.tsunagi.schema.codec.Jcs;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The hand-written canonical form is RFC 8785 exactly: what the schema library's JCS produces. */
class CanonicalFormTest {
    private static final String ALPHABET = "aZ09 \"\\/\b\f\n\r\t\u0000\u001f\u007f\u2028é髙サ𠮷😀,:{}[]";

    @RepeatedTest(20)
    void it_equals_the_library_jcs_for_random_strings_and_numbers() {
        Random random = new Random();
        Map<String, Object> members = new HashMap<>();
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 8; i++) {
            String name = text(random, 1 + random.nextInt(6));
            String value = text(random, random.nextInt(20));
            members.put(name, value);
            tree.put(name, value);
        }
        long number = random.nextLong() % (1L << 53);
        members.put("seq", number);
        tree.put("seq", number);
        members.put("nothing", null);
        tree.putNull("nothing");

        assertThat(new String(CanonicalJson.of(members), StandardCharsets.UTF_8))
                .isEqualTo(new String(Jcs.canonicalize(tree), StandardCharsets.UTF_8));
    }

    @Test
    void an_entry_has_the_documented_canonical_form() {
        AuditEntry entry = new AuditEntry(7, OffsetDateTime.parse("2024-04-01T09:00:00.5+09:00"), "gateway", "ACCEPTED",
                null, "REF-1", null, "IDENTITY,TAX_ARREARS", "CONSENT:c-1", "accepted", null, AuditEntry.GENESIS_HASH, null);

        assertThat(new String(entry.canonical(), StandardCharsets.UTF_8)).isEqualTo("{\"action\":\"ACCEPTED\",\"actor\":"
                + "\"gateway\",\"at\":\"2024-04-01T00:00:00.500000Z\",\"basis\":\"CONSENT:c-1\",\"code\":null,"
                + "\"dataCategories\":\"IDENTITY,TAX_ARREARS\",\"messageId\":null,\"outcome\":\"accepted\","
                + "\"referralId\":\"REF-1\",\"seq\":7,\"subjectRef\":null}");
    }

    private static String text(Random random, int length) {
        StringBuilder s = new StringBuilder();
        int[] points = ALPHABET.codePoints().toArray();
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(points[random.nextInt(points.length)]);
        }
        return s.toString();
    }
}
