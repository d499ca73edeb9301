package jp.tsunagi.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The console's one stylesheet, {@code console/console.css}: plain CSS, no build step. */
final class Stylesheet {
    private static final byte[] BYTES = load();

    private Stylesheet() {
    }

    static byte[] bytes() {
        return BYTES.clone();
    }

    private static byte[] load() {
        try (InputStream in = Stylesheet.class.getClassLoader().getResourceAsStream("console/console.css")) {
            if (in == null) {
                throw new IllegalStateException("console/console.css is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
