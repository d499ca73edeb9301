package jp.tsunagi.gateway.connect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** Waiting for what a connector writes, with a deadline (connectors poll, so results arrive after a moment). */
final class Await {
    /** A probe that may fail while the thing is not there yet. */
    @FunctionalInterface
    interface Probe<T> {
        T get() throws IOException;
    }

    private Await() {
    }

    /** The first non-null answer of the probe within 20 s; an IOException counts as "not yet". */
    static <T> T until(Probe<T> probe) throws InterruptedException {
        return until(Duration.ofSeconds(20), probe);
    }

    static <T> T until(Duration timeout, Probe<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                T value = probe.get();
                if (value != null) {
                    return value;
                }
            } catch (IOException e) {
                // not written completely yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting");
    }

    /** The content of the first file in the directory whose name matches, once there is one. */
    static byte[] file(Path directory, Predicate<String> name) throws InterruptedException {
        return file(directory, name, content -> true);
    }

    /** The same, of a file whose content matches too (a status from the hub, not the gateway's notice of delivery). */
    static byte[] file(Path directory, Predicate<String> name, Predicate<byte[]> content) throws InterruptedException {
        return until(() -> {
            try (var files = Files.list(directory)) {
                for (Path file : files.filter(f -> !f.getFileName().toString().startsWith(".")
                        && name.test(f.getFileName().toString())).toList()) {
                    byte[] bytes = Files.readAllBytes(file);
                    if (content.test(bytes)) {
                        return bytes;
                    }
                }
                return null;
            }
        });
    }
}
