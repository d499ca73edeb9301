package jp.tsunagi.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.validation.Problem;

/**
 * RFC 9457 problem responses: a stable {@code type} URI and {@code code}, and every error with its path. Built only
 * from codes, paths and details that never carry a value of the message, so no answer echoes personal data.
 */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://tsunagi.jp/problems/";

    private Problems() {
    }

    /** At most this many errors are listed; {@code errorsOmitted} says how many more there were. */
    public static final int MAX_ERRORS = jp.tsunagi.schema.validation.MessageRejectedException.MAX_LISTED;

    public static Answer answer(int status, String code, String title, List<Problem> errors) {
        return answer(status, code, title, errors, 0);
    }

    /** @param omitted errors found beyond those given (the library lists a bounded number) */
    public static Answer answer(int status, String code, String title, List<Problem> errors, int omitted) {
        ObjectNode body = JsonCodec.mapper().createObjectNode();
        body.put("type", TYPE_BASE + code);
        body.put("title", title);
        body.put("status", status);
        body.put("code", code);
        if (!errors.isEmpty()) {
            body.put("detail", errors.get(0).detail());
            ArrayNode list = body.putArray("errors");
            for (Problem p : errors.subList(0, Math.min(MAX_ERRORS, errors.size()))) {
                list.addObject().put("code", p.code().code()).put("path", p.path()).put("detail", p.detail());
            }
            int more = omitted + Math.max(0, errors.size() - MAX_ERRORS);
            if (more > 0) {
                body.put("errorsOmitted", more);
            }
        }
        return new Answer(status, MEDIA_TYPE, JsonCodec.write(body));
    }

    public static Answer answer(int status, String code, String title) {
        return answer(status, code, title, List.of());
    }
}
