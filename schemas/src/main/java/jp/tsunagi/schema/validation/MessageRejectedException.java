package jp.tsunagi.schema.validation;

import java.util.List;
import java.util.stream.Collectors;

/** A message was refused. Carries every problem found; its text holds codes and paths only, never message values. */
public class MessageRejectedException extends RuntimeException {
    private final List<Problem> problems;

    public MessageRejectedException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public MessageRejectedException(Problem problem) {
        this(List.of(problem));
    }

    public MessageRejectedException(ProblemCode code, String detail) {
        this(Problem.of(code, "", detail));
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The first problem's code: what a one-line answer (CLI exit, HTTP status) is decided on. */
    public ProblemCode code() {
        return problems.get(0).code();
    }
}
