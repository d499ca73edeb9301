package jp.tsunagi.gateway.connect;

import jp.tsunagi.schema.JapanTime;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import jp.tsunagi.connectors.mapping.Mapping;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;

/**
 * Turns a forwarded message (as the gateway signed it, JSON or XML) into an agency system's native document with the
 * mapping for its message type, and names the file it travels in. The gateway's signature does not survive the
 * translation: the connector is the trust boundary, as for every system that cannot verify signatures itself.
 */
public final class NativeRenderer {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /** A native document and the file name it should have. */
    public record Rendered(byte[] document, String fileName, String mediaType) {
    }

    private NativeRenderer() {
    }

    /**
     * @throws Mapping.RecordException if the message cannot be written in that format (a permanent failure)
     * @throws IllegalArgumentException if none of the mappings is for the message's type
     */
    public static Rendered render(List<Mapping> mappings, byte[] message) {
        JsonNode tree = tree(message);
        String type = tree.path("messageType").asText();
        Mapping mapping = mappings.stream().filter(m -> m.messageType().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no mapping for " + type + " among "
                        + mappings.stream().map(Mapping::name).toList()));
        byte[] document = mapping.write(List.of(tree));
        String stamp = LocalDateTime.now(JapanTime.ZONE).format(STAMP);
        String fileName = type.toLowerCase(Locale.ROOT).replace('_', '-') + "-" + stamp + "-"
                + tree.path("messageId").asText() + "." + mapping.fileExtension();
        return new Rendered(document, fileName, mapping.mediaType());
    }

    private static JsonNode tree(byte[] message) {
        return MessageFormat.detect(message) == MessageFormat.JSON
                ? JsonCodec.parse(message)
                : JsonCodec.toTree(XmlCodec.bind(XmlCodec.parse(message)));
    }
}
