package jp.tsunagi.gateway.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the demo's log lines go: a file, {@code data/logs/demo.log} (one per run, the last run's), so that standard
 * output holds the story alone. slf4j-simple reads its target once, when the first logger is made, so
 * {@link #toFile()} runs first thing in main; {@code serve} and every other command keep logging to standard error.
 */
final class DemoLog {
    /** slf4j-simple's setting for its target (System.err, System.out or a file). */
    private static final String TARGET = "org.slf4j.simpleLogger.logFile";
    static final Path FILE = Path.of("data", "logs", "demo.log");

    private DemoLog() {
    }

    /** Sends every log line of this JVM to {@link #FILE}; call before anything logs. */
    static void toFile() {
        try {
            Files.createDirectories(FILE.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + FILE.getParent(), e);
        }
        System.setProperty(TARGET, FILE.toString());
    }

    /** The file the log lines of this run go to, if not standard error (in-process tests keep it). */
    static Optional<Path> file() {
        String target = System.getProperty(TARGET);
        return target == null || target.startsWith("System.") ? Optional.empty() : Optional.of(Path.of(target));
    }
}
