package jp.tsunagi.gateway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code demo} as the product jar lists it: the demonstration, with its simulated agency systems and SFTP server, is
 * a jar of its own (module gateway/demo, target/tsunagi-demo.jar) that {@code bin/tsunagi demo} runs; that jar's
 * command line puts the real command in this one's place.
 */
@Command(name = DemoElsewhereCommand.NAME,
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Run the demonstration: every flow F1-F10 through the gateway to a simulated system (模擬システム) of "
                        + "each agency. From its own jar: bin/tsunagi demo (bin/tsunagi demo --help for its options)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"2:run from the product jar (use bin/tsunagi demo)"})
final class DemoElsewhereCommand implements Callable<Integer> {
    static final String NAME = "demo";

    @Override
    public Integer call() {
        Terminal.err().println("tsunagi: the demo is not part of the product jar; run it with bin/tsunagi demo"
                + " (gateway/demo/target/tsunagi-demo.jar)");
        return ExitCodes.BAD_INPUT;
    }
}
