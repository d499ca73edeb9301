package jp.tsunagi.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.stream.Collectors;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.codec.JsonCodec;

/** The served OpenAPI document as a promise: a body the server answers must be what its schema there describes. */
public final class OpenApiDocument {
    private OpenApiDocument() {
    }

    /** The problems of the body against {@code #/components/schemas/<name>}, one per line; empty when it conforms. */
    public static String problems(String schemaName, JsonNode body) {
        ObjectNode document;
        try (InputStream in = TsunagiSchema.resource(TsunagiSchema.OPENAPI_RESOURCE)) {
            document = (ObjectNode) JsonCodec.mapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // the whole document as the schema, so that the component's $refs resolve inside it
        document.put("$ref", "#/components/schemas/" + schemaName);
        Set<ValidationMessage> messages = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(document).validate(body);
        return messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("\n"));
    }
}
