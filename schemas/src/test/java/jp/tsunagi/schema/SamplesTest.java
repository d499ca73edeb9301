package jp.tsunagi.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.Jcs;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.validation.MessageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SamplesTest {
    private final MessageReader reader = new MessageReader();

    static List<Path> jsonSamples() {
        return Samples.json();
    }

    @Test
    void thereIsAJsonAndAnXmlSampleForEveryFlowF1ToF10() {
        Set<String> jsonFlows = flows(Samples.json());
        Set<String> xmlFlows = flows(Samples.xml());
        for (int flow = 1; flow <= 10; flow++) {
            assertThat(jsonFlows).contains("F" + flow);
            assertThat(xmlFlows).contains("F" + flow);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonSamples")
    void everySampleIsValidAndRoundTripsJsonToXmlToJsonToTheSameCanonicalForm(Path json) {
        byte[] original = Samples.bytes(json);
        Message fromJson = reader.readJson(original);

        Message viaXml = reader.readXml(XmlCodec.write(fromJson));
        byte[] backToJson = JsonCodec.write(viaXml);

        assertThat(new String(Jcs.canonicalize(JsonCodec.parse(backToJson))))
                .isEqualTo(new String(Jcs.canonicalize(JsonCodec.parse(original))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonSamples")
    void theXmlTwinOfEverySampleIsValidAndSaysExactlyWhatTheJsonSays(Path json) {
        Message fromXml = reader.readXml(Samples.bytes(Samples.xmlTwinOf(json)));

        assertThat(new String(Jcs.canonicalize(JsonCodec.toTree(fromXml))))
                .isEqualTo(new String(Jcs.canonicalize(JsonCodec.parse(Samples.bytes(json)))));
    }

    private static Set<String> flows(List<Path> files) {
        return files.stream().map(p -> p.getFileName().toString().split("-")[0]).collect(Collectors.toSet());
    }
}
