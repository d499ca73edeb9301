package jp.tsunagi.gateway.intake;

import java.util.List;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.Problem;

/**
 * Why a message was refused: the HTTP status, a stable code and, when there are any, the problems with their paths
 * (at most {@link MessageRejectedException#MAX_LISTED}) and how many more were found.
 */
public record Rejection(int status, String code, String title, List<Problem> problems, int omitted) {
    public Rejection(int status, String code, String title, List<Problem> problems) {
        this(status, code, title, problems, 0);
    }

    /** The refusal of a message the library rejected, with its bounded problem list. */
    static Rejection of(int status, String title, MessageRejectedException e) {
        return new Rejection(status, e.code().code(), title, e.problems(), e.omitted());
    }

    static Rejection of(int status, String code, String title) {
        return new Rejection(status, code, title, List.of());
    }
}
