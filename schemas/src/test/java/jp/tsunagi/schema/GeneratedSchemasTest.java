package jp.tsunagi.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.Issue;
import org.junit.jupiter.api.Test;

class GeneratedSchemasTest {
    private final JsonNode jsonSchema = JsonCodec.parse(TsunagiSchema.resourceBytes(TsunagiSchema.JSON_SCHEMA_RESOURCE));

    @Test
    void theJsonSchemaIsDraft202012AndForbidsUnknownMembers() {
        assertThat(jsonSchema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(jsonSchema.get("additionalProperties").asBoolean()).isFalse();
        assertThat(jsonSchema.at("/$defs/Referral/additionalProperties").asBoolean()).isFalse();
    }

    @Test
    void everyCodeListOfTheXsdIsAnEnumOfTheJsonSchemaWithTheSameCodesAndTheirJapaneseLabels() {
        for (Map.Entry<String, Map<String, String>> list : CodeLists.all().entrySet()) {
            JsonNode definition = jsonSchema.at("/$defs/" + list.getKey());
            List<String> codes = new ArrayList<>();
            definition.get("enum").forEach(code -> codes.add(code.asText()));

            assertThat(codes).as(list.getKey()).containsExactlyElementsOf(list.getValue().keySet());
            list.getValue().forEach((code, label) ->
                    assertThat(definition.get("description").asText()).contains(code + " = " + label));
        }
    }

    @Test
    void theJavaEnumerationsAreTheXsdCodeListsAndEveryCodeHasAJapaneseLabel() {
        assertThat(CodeLists.all().get("DataCategory").keySet())
                .containsExactly(java.util.Arrays.stream(DataCategory.values()).map(Enum::name).toArray(String[]::new));
        assertThat(CodeLists.label(DataCategory.TAX_ARREARS)).isEqualTo("税の滞納");
        assertThat(CodeLists.label(Issue.HOUSEHOLD_8050)).isEqualTo("8050");
        CodeLists.all().forEach((list, labels) -> assertThat(labels.values()).as(list).allMatch(l -> !l.isBlank()));
    }

    @Test
    void repeatedXmlElementsBecomePluralJsonArraysAsTheModelNamesThem() {
        assertThat(jsonSchema.at("/$defs/Referral/properties/household/type").asText()).isEqualTo("array");
        assertThat(jsonSchema.at("/$defs/Referral/properties/issues/minItems").asInt()).isEqualTo(1);
        assertThat(jsonSchema.at("/$defs/Consent/properties/dataCategories/items/$ref").asText()).isEqualTo("#/$defs/DataCategory");
    }
}
