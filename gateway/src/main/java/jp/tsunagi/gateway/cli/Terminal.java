package jp.tsunagi.gateway.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import jp.tsunagi.schema.validation.Problem;

/**
 * Standard output and error in UTF-8, whatever the platform's default charset (Java 17 takes it from the locale, and
 * a C locale would turn every Japanese character into '?'). Wraps the current {@code System.out} and
 * {@code System.err} at each call, so that a test that redirects them sees the output.
 */
final class Terminal {
    private Terminal() {
    }

    static PrintStream out() {
        return new PrintStream(System.out, true, StandardCharsets.UTF_8);
    }

    static PrintStream err() {
        return new PrintStream(System.err, true, StandardCharsets.UTF_8);
    }

    static PrintWriter outWriter() {
        return new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    }

    static PrintWriter errWriter() {
        return new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    }

    /** One problem per line: code, path (when there is one) and detail, e.g. {@code signature.invalid: ...}. */
    static void print(PrintStream stream, Collection<Problem> problems) {
        problems.forEach(stream::println);
        stream.flush();
    }
}
