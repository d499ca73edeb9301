package jp.tsunagi.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import jp.tsunagi.schema.Samples;
import jp.tsunagi.schema.validation.MessageReader;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;
import org.junit.jupiter.api.Test;

class SafeParsingTest {
    private final MessageReader reader = new MessageReader();

    @Test
    void xmlWithAnExternalEntityIsRefusedAndTheFileIsNeverRead() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE message [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>"
                + "<message xmlns=\"urn:tsunagi:message:1\"><messageId>&secret;</messageId></message>";

        assertRefused(xxe, ProblemCode.MESSAGE_DTD_FORBIDDEN);
    }

    @Test
    void billionLaughsIsRefusedBeforeAnyEntityIsExpanded() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"");
            dtd.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
        }
        dtd.append("]>");

        assertRefused("<?xml version=\"1.0\"?>" + dtd + "<message xmlns=\"urn:tsunagi:message:1\">&lol9;</message>",
                ProblemCode.MESSAGE_DTD_FORBIDDEN);
    }

    @Test
    void aDoctypeInAUtf16DocumentIsRefusedAsADoctypeNotAsMalformed() {
        String xxe = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE message [<!ENTITY s SYSTEM \"file:///etc/passwd\">]>"
                + "<message xmlns=\"urn:tsunagi:message:1\"><messageId>&s;</messageId></message>";

        for (java.nio.charset.Charset utf16 : java.util.List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
            assertThatThrownBy(() -> reader.read(xxe.getBytes(utf16))).as(utf16.name())
                    .isInstanceOfSatisfying(MessageRejectedException.class,
                            e -> assertThat(e.code()).isEqualTo(ProblemCode.MESSAGE_DTD_FORBIDDEN));
        }
    }

    @Test
    void aLongStringOrNumberIsRefusedAsTooLongNotAsTooDeep() {
        String json = new String(Samples.first("F1-", ".json"), StandardCharsets.UTF_8);

        assertRefused(json.replaceFirst("\\{", "{\"x\":\"" + "a".repeat(70_000) + "\","),
                ProblemCode.MESSAGE_VALUE_TOO_LONG);
        assertRefused(json.replaceFirst("\\{", "{\"x\":" + "9".repeat(30) + ","), ProblemCode.MESSAGE_VALUE_TOO_LONG);
    }

    @Test
    void deeplyNestedXmlIsRefused() {
        String deep = "<a>".repeat(10_000) + "</a>".repeat(10_000);

        assertRefused(deep, ProblemCode.MESSAGE_TOO_DEEP);
    }

    @Test
    void deeplyNestedJsonIsRefused() {
        String deep = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);

        assertRefused(deep, ProblemCode.MESSAGE_TOO_DEEP);
    }

    @Test
    void aJsonObjectWithTheSameMemberTwiceIsRefusedSoNoReaderCanSeeADifferentMessage() {
        String json = new String(Samples.first("F1-", ".json"), StandardCharsets.UTF_8)
                .replaceFirst("\"recipient\"\\s*:\\s*\"tsunagi-hub\",", "\"recipient\": \"tsunagi-hub\", \"recipient\": \"tsunagi-welfare\",");

        assertRefused(json, ProblemCode.MESSAGE_DUPLICATE_KEY);
    }

    @Test
    void trailingContentAfterTheJsonObjectIsRefused() {
        assertRefused(new String(Samples.first("F1-", ".json"), StandardCharsets.UTF_8) + "{}", ProblemCode.MESSAGE_MALFORMED);
    }

    @Test
    void aTypeHintForPolymorphicDeserializationIsJustAnUnknownMemberAndRefused() {
        String json = new String(Samples.first("F1-", ".json"), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{ \"@class\" : \"java.net.URL\",");

        assertRefused(json, ProblemCode.SCHEMA_INVALID);
    }

    @Test
    void aMessageLargerThanTheLimitIsRefusedBeforeParsing() {
        MessageReader small = new MessageReader(1000, Clock.systemDefaultZone());

        assertThatThrownBy(() -> small.read(Samples.first("F1-", ".json")))
                .isInstanceOfSatisfying(MessageRejectedException.class,
                        e -> assertThat(e.code()).isEqualTo(ProblemCode.MESSAGE_TOO_LARGE));
    }

    @Test
    void malformedJsonAndXmlAreRefusedWithAPositionAndWithoutEchoingTheContent() {
        assertThatThrownBy(() -> reader.read("{\"messageId\": 山田太郎}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProblemCode.MESSAGE_MALFORMED);
                    assertThat(e.getMessage()).contains("line 1").doesNotContain("山田");
                });
        assertThatThrownBy(() -> reader.read("<message><name>山田太郎</nam></message>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProblemCode.MESSAGE_MALFORMED);
                    assertThat(e.getMessage()).doesNotContain("山田").doesNotContain("nam");
                });
    }

    @Test
    void somethingThatIsNeitherJsonNorXmlIsRefused() {
        assertRefused("messageId,sender\n1,2", ProblemCode.MESSAGE_UNSUPPORTED_FORMAT);
    }

    @Test
    void aMessageOfAnUnknownMajorVersionIsRefusedWithAClearError() {
        String json = new String(Samples.first("F1-", ".json"), StandardCharsets.UTF_8)
                .replaceFirst("\"schemaVersion\"\\s*:\\s*\"1.0\"", "\"schemaVersion\": \"2.0\"");
        String xml = new String(Samples.first("F1-", ".xml"), StandardCharsets.UTF_8)
                .replace("urn:tsunagi:message:1", "urn:tsunagi:message:2");

        assertRefused(json, ProblemCode.SCHEMA_VERSION_UNSUPPORTED);
        assertRefused(xml, ProblemCode.SCHEMA_VERSION_UNSUPPORTED);
    }

    @Test
    void aNewerMinorVersionOfTheSameMajorIsRead() {
        String json = new String(Samples.first("F1-", ".json"), StandardCharsets.UTF_8)
                .replaceFirst("\"schemaVersion\"\\s*:\\s*\"1.0\"", "\"schemaVersion\": \"1.3\"");

        assertThat(reader.read(json.getBytes(StandardCharsets.UTF_8)).getSchemaVersion()).isEqualTo("1.3");
    }

    private void assertRefused(String document, ProblemCode expected) {
        assertThatThrownBy(() -> reader.read(document.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.code()).isEqualTo(expected));
    }
}
