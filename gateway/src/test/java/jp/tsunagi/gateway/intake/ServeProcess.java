package jp.tsunagi.gateway.intake;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code tsunagi serve} in a JVM of its own, as an operator starts it: the environment it is given (none of the
 * test's TSUNAGI_DB_* variables), its output in serve.log of the test's directory, its exit code after a signal.
 */
public final class ServeProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final int port;

    private ServeProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** serve from the test classpath. */
    public static ServeProcess fromClasspath(Path dir, Path conf, Map<String, String> environment) throws Exception {
        return start(dir, conf, environment, List.of("-cp", System.getProperty("java.class.path"), "jp.tsunagi.gateway.cli.TsunagiCli"));
    }

    /** serve from the product jar, target/tsunagi.jar, as bin/tsunagi runs it (for the tests of the package: *IT). */
    public static ServeProcess fromJar(Path dir, Path conf, Map<String, String> environment) throws Exception {
        return start(dir, conf, environment, List.of("-jar", Path.of("target/tsunagi.jar").toAbsolutePath().toString()));
    }

    private static ServeProcess start(Path dir, Path conf, Map<String, String> environment, List<String> launcher) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(launcher);
        command.addAll(List.of("serve", "--conf", conf.toString()));
        Path log = dir.resolve("serve.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("TSUNAGI_DB_"));
        builder.environment().putAll(environment);
        return new ServeProcess(builder.start(), log, port(conf));
    }

    /** The port of the last tsunagi.http.port line of the conf's gateway.properties. */
    private static int port(Path conf) throws Exception {
        return Files.readAllLines(conf.resolve("gateway.properties")).stream().filter(l -> l.startsWith("tsunagi.http.port="))
                .reduce((first, last) -> last).map(l -> Integer.parseInt(l.split("=")[1].trim())).orElseThrow();
    }

    /** The status of GET /api/v1/health once the gateway answers (0 if the process ended first, or after 3 minutes). */
    public int awaitHealth() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/health")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        return 0;
    }

    /** Sends a signal by name (TERM, INT) as kill does. */
    public void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /**
     * Whether the process was started with the signal ignored (SigIgn of /proc/PID/status): a job put in the background
     * without job control ignores SIGINT, and so does every process it starts; the JVM then leaves it ignored.
     */
    public boolean ignores(String signal) throws Exception {
        return ignores(process.pid(), signal);
    }

    /** See {@link #ignores(String)}; for any process (TERM and INT only). */
    public static boolean ignores(long pid, String signal) throws Exception {
        int number = switch (signal) {
            case "INT" -> 2;
            case "TERM" -> 15;
            default -> throw new IllegalArgumentException(signal);
        };
        String mask = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("SigIgn:")).findFirst().orElseThrow().substring("SigIgn:".length()).trim();
        return (Long.parseUnsignedLong(mask, 16) & (1L << (number - 1))) != 0;
    }

    /** The exit code once the process has ended (-1 if it has not within 3 minutes). */
    public int awaitExit() throws InterruptedException {
        return process.waitFor(3, TimeUnit.MINUTES) ? process.exitValue() : -1;
    }

    public String log() throws Exception {
        return Files.isRegularFile(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
