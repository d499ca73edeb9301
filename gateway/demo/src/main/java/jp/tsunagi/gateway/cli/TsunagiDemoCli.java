package jp.tsunagi.gateway.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The command line of the demo's jar (gateway/demo/target/tsunagi-demo.jar): the gateway's own, {@link TsunagiCli},
 * with the real {@code demo} command in the place the product jar only points to. It lives in the gateway's CLI
 * package so that the demo shares its options (--conf) and exit codes.
 */
public final class TsunagiDemoCli {
    private TsunagiDemoCli() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(DemoElsewhereCommand.NAME)) {
            DemoLog.toFile();   // before any logger exists: the story alone on standard output
        }
        System.exit(commandLine().execute(args));
    }

    /** {@code tsunagi} with {@code demo} running the demonstration, UTF-8 output as {@link TsunagiCli#commandLine}. */
    public static CommandLine commandLine() {
        CommandLine commandLine = TsunagiCli.commandLine();
        // in the same place of the list of commands
        Map<String, CommandLine> commands = new LinkedHashMap<>(commandLine.getSubcommands());
        commands.keySet().forEach(commandLine.getCommandSpec()::removeSubcommand);
        commands.forEach((name, command) -> commandLine.addSubcommand(name,
                name.equals(DemoElsewhereCommand.NAME) ? new CommandLine(new DemoCommand()) : command));
        commandLine.setOut(Terminal.outWriter());
        commandLine.setErr(Terminal.errWriter());
        return commandLine;
    }
}
