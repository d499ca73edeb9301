package jp.tsunagi.gateway.intake;

import jp.tsunagi.schema.JapanTime;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Consumer;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;

/** Fresh messages from the samples, and the agencies' keys to sign them with. */
public final class TestMessages {
    /** The gateway's tests run in gateway/, the demo's (which use these helpers too) in gateway/demo/. */
    static final Path SAMPLES = Files.isDirectory(Path.of("../schemas/samples")) ? Path.of("../schemas/samples")
            : Path.of("../../schemas/samples");
    private final Path keys;

    public TestMessages(Path keys) {
        this.keys = keys;
    }

    public SigningKey key(String agencyId) {
        return new SigningKey(agencyId + "#1", Pem.readPrivateKey(KeyMaterial.privateKeyFile(keys, agencyId)));
    }

    /** A sample as a fresh message: new messageId, createdAt a minute ago, then the test's edits. */
    public ObjectNode sample(String prefix, Consumer<ObjectNode> edit) throws IOException {
        Path file;
        try (var files = Files.list(SAMPLES)) {
            file = files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".json"))
                    .findFirst().orElseThrow();
        }
        ObjectNode message = (ObjectNode) JsonCodec.parse(Files.readAllBytes(file));
        message.put("messageId", UUID.randomUUID().toString());
        message.put("createdAt", OffsetDateTime.now(JapanTime.OFFSET).truncatedTo(ChronoUnit.SECONDS).minusMinutes(1)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        edit.accept(message);
        return message;
    }
}
