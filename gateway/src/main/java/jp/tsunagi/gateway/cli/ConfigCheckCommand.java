package jp.tsunagi.gateway.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.app.ConfigurationCheck;
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
        ConfigurationCheck check = ConfigurationCheck.of(conf.directory);
        if (check.valid()) {
            out.println("configuration valid: " + conf.directory);
        }
        check.problems().forEach(out::println);
        check.warnings().forEach(out::println);
        check.suspensions().forEach(out::println);
        return check.valid() ? ExitCodes.OK : ExitCodes.BAD_INPUT;
    }
}
