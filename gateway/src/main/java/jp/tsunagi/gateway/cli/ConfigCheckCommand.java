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
import jp.tsunagi.gateway.app.GatewaySettings;
import jp.tsunagi.gateway.config.KeyFileCheck;
import jp.tsunagi.gateway.policy.PolicyConfig;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsException;
import jp.tsunagi.gateway.settings.SettingsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tsunagi config check}: every configuration file validated without starting anything. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Validate the configuration without starting the gateway (設定の検査): agencies.yaml (ids, types, "
                        + "local government codes with check digit, keys: every registered PEM exists and holds a public key "
                        + "or certificate, and private keys and certificates in the key directory match them), policy.yaml "
                        + "(flows, ceilings, support meetings, their statute and members), gateway.properties (every tsunagi.* "
                        + "key declared, of its type and range: docs/settings.md), mappings/*.yaml (against the message schema: paths, "
                        + "code tables, converters, native positions) and routes/*.yaml (tsunagi: endpoints name registered "
                        + "agencies and existing mappings, Kamelets exist, every route connector has its route, every {{placeholder}} "
                        + "has a value).",
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
        SettingsFile settings = checkSettings(problems);
        if (agencies != null) {
            problems.addAll(KeyFileCheck.check(agencies, settings == null ? null : settings.get(Settings.KEYS_DIR)));
        }
        Set<String> mappingNames = new TreeSet<>();
        for (Path file : Mappings.files(conf.directory)) {
            List<String> mappingProblems = Mapping.check(file);
            problems.addAll(mappingProblems);
            mappingNames.add(file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        }
        problems.addAll(RouteCheck.check(conf.directory, agencies, mappingNames, settings));
        List<String> warnings = EndpointReachability.warnings(conf.directory, agencies);
        if (problems.isEmpty()) {
            out.println("configuration valid: " + conf.directory);
            warnings.forEach(out::println);
            printSuspensions(out, agencies);
            return ExitCodes.OK;
        }
        problems.forEach(out::println);
        warnings.forEach(out::println);
        printSuspensions(out, agencies);
        return ExitCodes.BAD_INPUT;
    }

    /** gateway.properties: each problem with its line (the file once valid, for the routes' placeholders). */
    private SettingsFile checkSettings(List<String> problems) {
        try {
            SettingsFile settings = SettingsFile.load(conf.directory);
            check(problems, () -> GatewaySettings.load(conf.directory));
            return settings;
        } catch (SettingsException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    /** 利用停止: each suspended agency, so that nobody starts a gateway unaware that one is (still) suspended. */
    private static void printSuspensions(PrintStream out, AgencyDirectory agencies) {
        if (agencies == null) {
            return;
        }
        for (var agency : agencies.suspended()) {
            out.println("suspended: " + agency.id() + " (" + agency.name() + ") since " + agency.suspended().since() + ": "
                    + agency.suspended().reason() + " (nothing is accepted from it; copies to it are held)");
        }
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
