package jp.tsunagi.schema.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A message was refused. Carries the first {@link #MAX_LISTED} problems found and how many more there were (a body
 * of 60,000 invalid entries made an 8 MB answer); its text holds codes and paths only, never message values.
 */
public class MessageRejectedException extends RuntimeException {
    /** At most this many problems are listed; {@link #omitted()} counts the rest. */
    public static final int MAX_LISTED = 20;

    private final List<Problem> problems;
    private final int omitted;

    public MessageRejectedException(List<Problem> problems) {
        super(text(problems), null, false, false);
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a rejection needs at least one problem");
        }
        this.problems = List.copyOf(problems.subList(0, Math.min(MAX_LISTED, problems.size())));
        this.omitted = problems.size() - this.problems.size();
    }

    private static String text(List<Problem> problems) {
        String listed = problems.stream().limit(MAX_LISTED).map(Problem::toString).collect(Collectors.joining("; "));
        return problems.size() > MAX_LISTED ? listed + "; and " + (problems.size() - MAX_LISTED) + " more" : listed;
    }

    /** How many problems were found beyond those listed. */
    public int omitted() {
        return omitted;
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
