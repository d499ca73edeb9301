package jp.tsunagi.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import jp.tsunagi.schema.Samples;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The canonical form written straight from the tree is the reference library's byte for byte (what a sender that
 * signs with the reference library, or with any other RFC 8785 implementation, signed).
 */
class JcsTest {
    private static final String ALPHABET = "aZ09 \"\\/\b\f\n\r\t\u0000\u001f\u007f\u2028é髙サ𠮷😀,:{}[]\uff61\ue000";

    static List<Path> jsonSamples() {
        return Samples.json();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonSamples")
    void every_sample_has_the_reference_canonical_form(Path sample) throws Exception {
        assertSameAsReference(JsonCodec.parse(Samples.bytes(sample)));
    }

    @Test
    void numbers_have_the_reference_canonical_form() throws Exception {
        assertSameAsReference(JsonCodec.parse(("{\"n\":[0,-0,-0.0,1,-1,9007199254740992,9007199254740993,-9007199254740993,"
                + "12345678901234567890,-12345678901234567890,0.1,1e21,1e20,1e-7,1.5e-6,5e-324,1.7976931348623157e308,"
                + "1e400,-1e400,123456789.123456789,4.35,0.000001,100,1E2,2.5e+3]}").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void members_are_sorted_by_utf16_code_units_and_literals_kept() throws Exception {
        assertSameAsReference(JsonCodec.parse(("{\"\\ud83d\\ude00\":1,\"\\uff61\":2,\"\\ue000\":3,\"z\":true,\"\\u00e9\":false,"
                + "\"a\":null,\"\":{},\"b\":[],\"c\":[{\"y\":1,\"x\":[null,\"\\u0001\"]}]}").getBytes(StandardCharsets.UTF_8)));
    }

    @RepeatedTest(20)
    void random_strings_have_the_reference_canonical_form() throws Exception {
        Random random = new Random();
        ObjectNode tree = JsonCodec.mapper().createObjectNode();
        for (int i = 0; i < 12; i++) {
            tree.put(text(random, 1 + random.nextInt(6)), text(random, random.nextInt(30)));
        }
        tree.putArray(text(random, 3)).add(text(random, 10)).addObject().put(text(random, 2), random.nextLong());
        assertSameAsReference(tree);
    }

    private static void assertSameAsReference(JsonNode tree) throws Exception {
        byte[] reference = new JsonCanonicalizer(JsonCodec.mapper().writeValueAsString(tree)).getEncodedUTF8();
        assertThat(new String(Jcs.canonicalize(tree), StandardCharsets.UTF_8))
                .isEqualTo(new String(reference, StandardCharsets.UTF_8));
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
