package jp.tsunagi.connectors.mapping;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The YAML of one {@code conf/mappings/*.yaml} file as written (対応表): see docs/connectors.md for the language.
 * Bound strictly: an unknown key is an error with its line.
 */
record MappingFile(
        String description,
        NativeFormat.Kind format,
        String encoding,
        String messageType,
        Integer recordLength,
        String lineSeparator,
        Boolean header,
        Boolean strict,
        List<String> optionalColumns,
        List<String> ignoredColumns,
        String root,
        String namespace,
        Match match,
        Map<String, Map<String, String>> codeTables,
        List<Field> fields) {

    /** Which documents a mapping reads, when several mappings share one endpoint: a native value equal to a text. */
    record Match(String column, Integer start, Integer length, String element, String field, String equals) {
    }

    /** One field: where it is in the native record, where it goes in the message, and how it is converted. */
    record Field(
            String path,
            String column,
            Integer start,
            Integer length,
            String element,
            String field,
            List<String> convert,
            Map<String, String> codes,
            String codeTable,
            Boolean required,
            @JsonProperty("default") String defaultValue,
            JsonNode value,
            String fixed,
            Boolean truncate,
            Align align,
            String pad) {
    }

    enum Align { left, right }
}
