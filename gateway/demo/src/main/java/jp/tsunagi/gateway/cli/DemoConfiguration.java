package jp.tsunagi.gateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's own configuration: the project's conf/ (agencies, policy, routes, mappings), whose gateway.properties is
 * a production template (secrets from the environment, the SFTP host key pinned), with the demo's settings,
 * gateway/demo/conf/gateway.properties, in its place. Written afresh into one directory at each start.
 */
final class DemoConfiguration {
    static final String SETTINGS = "gateway.properties";

    private DemoConfiguration() {
    }

    /**
     * @param home the Tsunagi installation (conf/ and gateway/demo/conf/ under it)
     * @param into where the demo's configuration is written (data/demo/conf): what was there is removed first
     */
    static Path assemble(Path home, Path into) throws IOException {
        Path conf = home.resolve("conf");
        Path demoSettings = home.resolve("gateway/demo/conf").resolve(SETTINGS);
        for (Path required : List.of(conf, demoSettings)) {
            if (!Files.exists(required)) {
                throw new IllegalArgumentException("the demo needs " + required + " of the Tsunagi installation");
            }
        }
        if (Files.isDirectory(into)) {
            try (Stream<Path> old = Files.walk(into)) {
                for (Path file : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        try (Stream<Path> files = Files.walk(conf)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = conf.relativize(file);
                if (!relative.toString().equals(SETTINGS)) {
                    Path target = into.resolve(relative.toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.createDirectories(into);
        Files.copy(demoSettings, into.resolve(SETTINGS), StandardCopyOption.REPLACE_EXISTING);
        return into;
    }
}
