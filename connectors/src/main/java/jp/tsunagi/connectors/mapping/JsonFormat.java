package jp.tsunagi.connectors.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.validation.MessageRejectedException;

/**
 * A JSON document with a vendor's own field names (ベンダー独自API), one document per record, read with the same
 * limits as messages (duplicate members, depth, sizes). A field's {@code field} is a dotted path
 * ({@code client.name.last}, {@code household[1].relation}). Values are written as JSON strings.
 */
final class JsonFormat extends NativeFormat {

    JsonFormat() {
        super(StandardCharsets.UTF_8);
    }

    @Override
    boolean oneRecordPerDocument() {
        return true;
    }

    @Override
    String checkLocation(Location l) {
        if (l.field() == null || l.field().isBlank()) {
            return "a JSON field needs field (a dotted path in the vendor's document, e.g. client.name.last)";
        }
        if (l.column() != null || l.start() != null || l.length() != null || l.element() != null) {
            return "a JSON field has field only (no column, start, length or element)";
        }
        try {
            TreePath.parse(l.field());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Override
    String describe(Location l) {
        return "field " + l.field();
    }

    @Override
    NativeDocument read(byte[] document) {
        JsonNode tree;
        try {
            tree = JsonCodec.parse(document);
        } catch (MessageRejectedException e) {
            return NativeDocument.of(List.of(NativeRecord.unreadable(1, document, "mapping.malformed", e.getMessage())));
        }
        if (!tree.isObject()) {
            return NativeDocument.of(List.of(NativeRecord.unreadable(1, document, "mapping.malformed", "the document is not a JSON object")));
        }
        return NativeDocument.of(List.of(new NativeRecord(1, document, null, l -> {
            JsonNode value = TreePath.parse(l.field()).get(tree);
            return value == null || value.isContainerNode() ? null : value.asText();
        })));
    }

    @Override
    byte[] write(List<Location> layout, List<Map<Location, String>> records) {
        if (records.size() != 1) {
            throw new IllegalArgumentException("a JSON document holds one record");
        }
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        for (Location l : layout) {
            String value = records.get(0).get(l);
            if (value != null) {
                TreePath.parse(l.field()).set(document, TextNode.valueOf(value));
            }
        }
        TreePath.compact(document);
        return JsonCodec.write(document);
    }

    @Override
    String mediaType() {
        return "application/json";
    }

    @Override
    String fileExtension() {
        return "json";
    }
}
