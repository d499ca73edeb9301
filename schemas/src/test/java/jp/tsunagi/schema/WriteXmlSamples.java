package jp.tsunagi.schema;

import java.nio.file.Files;
import java.nio.file.Path;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.validation.MessageReader;

/** Writes the XML twin of every JSON sample (run by hand after changing a sample; SamplesTest checks they agree). */
public final class WriteXmlSamples {
    public static void main(String[] args) throws Exception {
        MessageReader reader = new MessageReader();
        for (Path json : Samples.json()) {
            Files.write(Samples.xmlTwinOf(json), XmlCodec.write(reader.readJson(Samples.bytes(json))));
        }
    }
}
