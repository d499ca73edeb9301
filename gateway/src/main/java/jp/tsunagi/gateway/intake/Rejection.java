package jp.tsunagi.gateway.intake;

import java.util.List;
import jp.tsunagi.schema.validation.Problem;

/** Why a message was refused: the HTTP status, a stable code and, when there are any, the problems with their paths. */
public record Rejection(int status, String code, String title, List<Problem> problems) {
    static Rejection of(int status, String code, String title) {
        return new Rejection(status, code, title, List.of());
    }
}
