package jp.tsunagi.gateway.cli;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import jp.tsunagi.gateway.app.Gateway;
import jp.tsunagi.gateway.app.GatewaySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tsunagi serve}: the gateway alone, with the given configuration, until it is stopped (Ctrl-C, SIGTERM). */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = TsunagiCli.Version.class,
        description = {
                "Start the gateway (ゲートウェイ) with the configuration of a directory: agencies.yaml, policy.yaml "
                        + "and gateway.properties (database, keys, HTTP address, delivery retries).",
                "",
                "It listens for signed messages on POST /api/v1/messages, checks them (signature, schema, lawful "
                        + "basis 提供の根拠, lifecycle), stores and audits them before answering 202, and delivers the "
                        + "gateway-signed copies to each recipient's connector, retrying with backoff. "
                        + "It refuses to start without the gateway key or with a configuration problem (an unknown "
                        + "or out-of-range setting is named with its file and line).",
                "",
                "The database and its account come from the environment variables TSUNAGI_DB_URL, TSUNAGI_DB_USER "
                        + "and TSUNAGI_DB_PASSWORD when they are set, else from tsunagi.db.url, tsunagi.db.user and "
                        + "tsunagi.db.password (docs/settings.md); --db comes before both.",
                "",
                "Ctrl-C or SIGTERM closes the gateway (HTTP, delivery workers, database) and exits with 0.",
                ""},
        exitCodeOnInvalidInput = ExitCodes.BAD_INPUT,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "2:bad configuration, missing key, database or port unavailable"},
        footerHeading = "%nExamples:%n",
        footer = {"  tsunagi serve", "  tsunagi serve --conf /etc/tsunagi --db jdbc:postgresql://db:5432/tsunagi"})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--conf", paramLabel = "DIR", defaultValue = "conf",
            description = "Configuration directory. Default: ${DEFAULT-VALUE}")
    Path conf;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "Database, instead of tsunagi.db.url of gateway.properties (H2 file or PostgreSQL 14+).")
    String db;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port, instead of tsunagi.http.port.")
    Integer port;

    @Override
    public Integer call() {
        // before the start: a stop asked for while the gateway starts closes it as soon as it has started
        try (StopSignal stop = StopSignal.install()) {
            return serve(stop);
        }
    }

    private int serve(StopSignal stop) {
        PrintStream out = Terminal.out();
        PrintStream err = Terminal.err();
        Gateway gateway;
        try {
            GatewaySettings settings = GatewaySettings.load(conf);
            if (db != null) {
                settings = settings.withDb(db);
            }
            if (port != null) {
                settings = settings.withPort(port);
            }
            gateway = Gateway.start(settings);
            out.println("tsunagi: listening on " + (settings.tls().enabled() ? "https" : "http") + "://" + settings.host() + ":" + gateway.port()
                    + " (POST /api/v1/messages, GET /api/v1/health, /metrics, /openapi.json)");
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println(e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (Exception e) {
            // a stack trace could carry configuration values; the class name says enough to start looking
            err.println("the gateway could not start: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())));
            return ExitCodes.BAD_INPUT;
        }
        // a stop the command is not told of (SIGHUP, the system shutting down) still closes the gateway
        Thread closeOnExit = new Thread(gateway::close, "tsunagi-shutdown");
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().removeShutdownHook(closeOnExit);
        gateway.close();
        out.println("tsunagi: stopped");
        return ExitCodes.OK;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
