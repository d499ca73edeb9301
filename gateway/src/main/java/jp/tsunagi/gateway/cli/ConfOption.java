package jp.tsunagi.gateway.cli;

import java.nio.file.Path;
import jp.tsunagi.gateway.config.AgencyDirectory;
import picocli.CommandLine.Option;

/** {@code --conf DIR}: the configuration directory, {@code conf/} of the working directory by default. */
final class ConfOption {
    @Option(names = "--conf", paramLabel = "DIR", defaultValue = "conf",
            description = "Configuration directory holding agencies.yaml (関係機関の登録). Default: ${DEFAULT-VALUE}")
    Path directory;

    /** The agency registry of the directory; an {@link IllegalArgumentException} naming file and line if it is wrong. */
    AgencyDirectory agencies() {
        return AgencyDirectory.inConfDirectory(directory);
    }
}
