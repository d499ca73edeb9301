package jp.tsunagi.gateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A process under test (a gateway, or the pass-through), started with the benchmark's classpath and the JVM options
 * given: times start to ready (the first 200 from GET /api/v1/health, from just before the process is created) and
 * reads its resident memory from /proc.
 */
final class Node implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int port;
    final Duration startToReady;
    private final Process process;
    private long peakRssKb;

    private Node(Process process, int port, Duration startToReady) {
        this.process = process;
        this.port = port;
        this.startToReady = startToReady;
    }

    /** The gateway as {@code tsunagi serve} runs it. */
    static Node gateway(List<String> jvm, Path conf, int port, Path workDir) throws Exception {
        return start(jvm, "jp.tsunagi.gateway.cli.TsunagiCli",
                List.of("serve", "--conf", conf.toString(), "--port", String.valueOf(port)), port, workDir);
    }

    static Node passThrough(List<String> jvm, int port, String target, Path workDir) throws Exception {
        return start(jvm, PassThrough.class.getName(), List.of(String.valueOf(port), target), port, workDir);
    }

    private static Node start(List<String> jvm, String mainClass, List<String> args, int port, Path workDir)
            throws Exception {
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Path log = workDir.resolve("node-" + port + ".log");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        URI health = URI.create("http://127.0.0.1:" + port + "/api/v1/health");
        long deadline = started + Duration.ofMinutes(2).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(mainClass + " exited with " + process.exitValue() + ", see " + log);
            }
            try {
                if (CLIENT.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException(mainClass + " not ready after 2 minutes, see " + log);
            }
            Thread.sleep(10);
        }
        return new Node(process, port, Duration.ofNanos(System.nanoTime() - started));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The resident set now, in kB (VmRSS), and remembers the largest seen. */
    long sampleRssKb() {
        long rss = proc("VmRSS:");
        peakRssKb = Math.max(peakRssKb, rss);
        return rss;
    }

    /** The largest resident set of the process so far (VmHWM), in kB. */
    long peakRssKb() {
        return Math.max(peakRssKb, proc("VmHWM:"));
    }

    private long proc(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process has ended
        }
        return 0;
    }

    /**
     * CPU time the process has used so far (user + system, all its threads), in milliseconds: unlike wall-clock
     * throughput, hardly changed by what else the machine is running.
     */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            // the fields after the command name (which may hold spaces) in parentheses: utime is the 14th, stime the 15th
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** USER_HZ of Linux, 100 on every common architecture. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** Ends the process at once (SIGKILL), as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
