package jp.tsunagi.gateway.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.settings.Settings;
import picocli.CommandLine.Command;

/** {@code tsunagi config settings}: the reference of every gateway.properties key, as docs/settings.md holds it. */
@Command(name = "settings",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Print the reference of every tsunagi.* key of gateway.properties (設定一覧) in Markdown: type, "
                        + "default, allowed values and meaning. docs/settings.md is this output.",
                ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi config settings", "  tsunagi config settings > docs/settings.md"})
final class ConfigSettingsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        PrintStream out = Terminal.out();
        out.print(Settings.reference());
        out.flush();
        return ExitCodes.OK;
    }
}
