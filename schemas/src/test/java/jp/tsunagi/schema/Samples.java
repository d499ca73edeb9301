package jp.tsunagi.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The sample messages of schemas/samples, for tests. */
public final class Samples {
    public static final Path DIR = Path.of("samples");

    private Samples() {
    }

    public static List<Path> json() {
        return list(".json");
    }

    public static List<Path> xml() {
        return list(".xml");
    }

    public static byte[] bytes(Path sample) {
        try {
            return Files.readAllBytes(sample);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path xmlTwinOf(Path json) {
        return json.resolveSibling(json.getFileName().toString().replace(".json", ".xml"));
    }

    public static byte[] first(String prefix, String extension) {
        return bytes(list(extension).stream().filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                .orElseThrow());
    }

    private static List<Path> list(String extension) {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(extension)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
