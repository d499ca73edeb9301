package jp.tsunagi.gateway.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import jp.tsunagi.connectors.mapping.Mapping;

/** The mappings of {@code conf/mappings/*.yaml}, by name (the file name without .yaml), loaded once at start. */
public final class Mappings {
    private final Map<String, Mapping> byName;

    private Mappings(Map<String, Mapping> byName) {
        this.byName = byName;
    }

    /** @throws IllegalArgumentException with every problem of every file (file and line) */
    public static Mappings inConfDirectory(Path conf) {
        Map<String, Mapping> byName = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files(conf)) {
            try {
                Mapping mapping = Mapping.load(file);
                byName.put(mapping.name(), mapping);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new Mappings(Map.copyOf(byName));
    }

    /** The YAML files under conf/mappings/, sorted; none if the directory does not exist. */
    public static List<Path> files(Path conf) {
        return yamlFiles(conf.resolve("mappings"));
    }

    /** The YAML files of a directory, sorted; none if it does not exist. */
    static List<Path> yamlFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The named mappings, in the order given; an unknown name is a configuration error. */
    public List<Mapping> named(String commaSeparatedNames) {
        List<Mapping> out = new ArrayList<>();
        for (String name : commaSeparatedNames.split(",")) {
            Mapping mapping = byName.get(name.strip());
            if (mapping == null) {
                throw new IllegalArgumentException("no mapping \"" + name.strip() + "\" in conf/mappings (known: "
                        + String.join(", ", byName.keySet()) + ")");
            }
            out.add(mapping);
        }
        return List.copyOf(out);
    }
}
