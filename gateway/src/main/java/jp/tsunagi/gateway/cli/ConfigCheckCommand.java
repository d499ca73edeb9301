package jp.tsunagi.gateway.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import jp.tsunagi.connectors.mapping.Mapping;
import jp.tsunagi.gateway.connect.EndpointReachability;
import jp.tsunagi.gateway.connect.Mappings;
import jp.tsunagi.gateway.connect.RouteCheck;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.KeyFileCheck;
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
                        + "local government codes with check digit, keys: every registered PEM exists and holds a public key "
                        + "or certificate, and private keys and certificates in the key directory match them), policy.yaml (flows, ceilings, support "
                        + "meetings and their members), gateway.properties, mappings/*.yaml (against the message schema: paths, "
                        + "code tables, converters, native positions) and routes/*.yaml (tsunagi: endpoints name registered "
                        + "agencies and existing mappings, Kamelets exist, every route connector has its route).",
                "",
                "Prints every problem with its file and line, or 'configuration valid'; then a warning for each agency "
                        + "system (HTTP endpoint, SFTP host) that cannot be reached now, which does not make it invalid.",
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
        GatewaySettings settings = check(problems, () -> GatewaySettings.load(conf.directory));
        if (agencies != null) {
            problems.addAll(KeyFileCheck.check(agencies, settings == null ? null : settings.keyDirectory()));
        }
        Set<String> mappingNames = new TreeSet<>();
        for (Path file : Mappings.files(conf.directory)) {
            List<String> mappingProblems = Mapping.check(file);
            problems.addAll(mappingProblems);
            mappingNames.add(file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        }
        problems.addAll(RouteCheck.check(conf.directory, agencies, mappingNames));
        List<String> warnings = EndpointReachability.warnings(conf.directory, agencies);
        if (problems.isEmpty()) {
            out.println("configuration valid: " + conf.directory);
            warnings.forEach(out::println);
            return ExitCodes.OK;
        }
        problems.forEach(out::println);
        warnings.forEach(out::println);
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
}
