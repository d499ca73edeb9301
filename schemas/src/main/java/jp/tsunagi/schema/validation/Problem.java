package jp.tsunagi.schema.validation;

/**
 * One thing wrong with a message: a stable code, where (a JSON Pointer for JSON input and for models, an XPath for
 * XML input; empty for the whole message) and a detail that never repeats a value from the message.
 */
public record Problem(ProblemCode code, String path, String detail) {
    public Problem {
        path = path == null ? "" : path;
        detail = detail == null ? code.title() : detail;
    }

    public static Problem of(ProblemCode code, String path, String detail) {
        return new Problem(code, path, detail);
    }

    public static Problem of(ProblemCode code) {
        return new Problem(code, "", code.title());
    }

    @Override
    public String toString() {
        return code.code() + (path.isEmpty() ? "" : " at " + path) + ": " + detail;
    }
}
