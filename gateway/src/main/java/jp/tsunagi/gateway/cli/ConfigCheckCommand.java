package jp.tsunagi.gateway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.intake.GatewaySettings;
import jp.tsunagi.gateway.policy.PolicyConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tsunagi config check}: every configuration file validated without starting anything. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Validate the configuration without starting the gateway (設定の検査): agencies.yaml (ids, types, "
                        + "local government codes with check digit, keys), policy.yaml (flows, ceilings, support "
                        + "meetings and their members), gateway.properties, and the YAML of routes/*.yaml and mappings/*.yaml.",
                "",
                "Prints every problem with its file and line, or 'configuration valid'.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:valid", "2:invalid (every problem is on standard output)"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi config check", "  tsunagi config check --conf /etc/tsunagi"})
final class ConfigCheckCommand implements Callable<Integer> {
    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        PrintStream out = Terminal.out();
        List<String> problems = new ArrayList<>();
        AgencyDirectory agencies = check(problems, conf::agencies);
        PolicyConfig policy = check(problems, () -> PolicyConfig.inConfDirectory(conf.directory));
        if (agencies != null && policy != null) {
            problems.addAll(policy.validate(agencies));
        }
        check(problems, () -> GatewaySettings.load(conf.directory));
        for (String folder : List.of("routes", "mappings")) {
            yamlFiles(conf.directory.resolve(folder)).forEach(file -> checkYaml(file, problems));
        }
        if (problems.isEmpty()) {
            out.println("configuration valid: " + conf.directory);
            return ExitCodes.OK;
        }
        problems.forEach(out::println);
        return ExitCodes.BAD_INPUT;
    }

    private static <T> T check(List<String> problems, java.util.function.Supplier<T> load) {
        try {
            return load.get();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static List<Path> yamlFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Well-formed YAML; what the routes and mappings mean is checked by their loaders when they start. */
    private static void checkYaml(Path file, List<String> problems) {
        try {
            new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (JsonProcessingException e) {
            problems.add(file + ", line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": not well-formed YAML");
        } catch (IOException e) {
            problems.add(file + ": cannot be read");
        }
    }
}
