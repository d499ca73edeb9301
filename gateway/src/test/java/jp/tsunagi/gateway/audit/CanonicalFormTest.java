package jp.tsunagi.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
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

    @RepeatedTest(20)
    void the_verifiers_hash_of_an_entry_is_the_chains_for_any_content() {
        Random random = new Random();
        AuditEntry.ChainHash hash = new AuditEntry.ChainHash();
        for (int i = 0; i < 50; i++) {
            AuditEntry entry = new AuditEntry(random.nextLong() % (1L << 53), randomTime(random), maybe(random, text(random, 8)),
                    maybe(random, text(random, 8)), maybe(random, text(random, 20)), maybe(random, text(random, 5)),
                    maybe(random, text(random, 64)), maybe(random, text(random, 12)), maybe(random, text(random, 9)),
                    maybe(random, text(random, 7)), maybe(random, text(random, 15)), maybe(random, text(random, 64)), null);
            String chained = entry.recomputeHash(); // as the chain computes it: the map of members, CanonicalJson.of

            assertThat(hash.matches(entry.withEntryHash(chained))).isTrue();
            assertThat(hash.matches(entry.withEntryHash(chained.toUpperCase()))).isEqualTo(chained.equals(chained.toUpperCase()));
            assertThat(hash.matches(entry.withEntryHash(null))).isFalse();
            AuditEntry changed = new AuditEntry(entry.seq() + 1, entry.at(), entry.actor(), entry.action(), entry.messageId(),
                    entry.referralId(), entry.subjectRef(), entry.dataCategories(), entry.basis(), entry.outcome(),
                    entry.code(), entry.prevHash(), chained);
            assertThat(hash.matches(changed)).isFalse();
        }
    }

    @Test
    void the_hand_written_time_is_the_formatters_for_every_year() {
        DateTimeFormatter formatter = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX");
        Random random = new Random();
        for (int i = 0; i < 10_000; i++) {
            OffsetDateTime time = randomTime(random);
            OffsetDateTime utc = time.toInstant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
            assertThat(AuditTime.canonical(time)).isEqualTo(formatter.format(utc));
        }
        for (String edge : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "-0001-12-31T23:59:59Z",
                "+10000-01-01T00:00:00Z", "1999-12-31T23:59:59.1234567Z"}) {
            OffsetDateTime time = OffsetDateTime.parse(edge);
            assertThat(AuditTime.canonical(time))
                    .isEqualTo(formatter.format(time.toInstant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)));
        }
    }

    private static OffsetDateTime randomTime(Random random) {
        long second = random.nextBoolean() ? 1_700_000_000L + random.nextInt(400_000_000)
                : random.nextLong() % 400_000_000_000L;
        return Instant.ofEpochSecond(second, random.nextInt(1_000_000_000))
                .atOffset(ZoneOffset.ofHours(random.nextInt(27) - 12));
    }

    private static String maybe(Random random, String value) {
        return random.nextInt(5) == 0 ? null : value;
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
