package jp.tsunagi.schema.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.erdtman.jcs.JsonCanonicalizer;

/** RFC 8785 JSON Canonicalization Scheme: the exact bytes a JSON signature covers. */
public final class Jcs {
    private Jcs() {
    }

    public static byte[] canonicalize(JsonNode value) {
        try {
            String json = JsonCodec.mapper().writeValueAsString(value);
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize JSON", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not canonicalizable JSON", e);
        }
    }
}
