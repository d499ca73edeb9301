package jp.tsunagi.gateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.intake.TestMessages;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.signature.KeyMaterial;

/**
 * bench/run: the gateway end to end against the bare Camel pass-through measured in the same run (docs/benchmarks.md).
 * Each run signs its referrals first, then for each target: starts it as its own process (timing start to ready),
 * posts a warm-up, then the measured messages, and times until the recipient has the last one; samples the process's
 * resident memory meanwhile. Targets: {@code pass} (the baseline), {@code h2}, {@code pg} (embedded PostgreSQL),
 * {@code pg2} (two gateway processes on one PostgreSQL, messages posted to each in turn). Not a unit test.
 *
 * <p>Options: {@code --messages=N} (2000), {@code --warmup=N} (300), {@code --clients=N} (16), {@code --runs=N} (3),
 * {@code --targets=pass,h2,pg,pg2}, {@code --dir=PATH} (target/bench), {@code --jvm="OPTIONS"} for every process,
 * {@code --settings="key=value;key=value"} added to each gateway's gateway.properties, {@code --rate=N} messages a
 * second offered in an open loop instead of the closed loop of the clients (they must be enough to keep up).
 */
public final class Bench {
    private final Map<String, String> options;
    private final List<String> jvm;
    private final Path dir;
    private final Path keys;
    private final TestMessages samples;
    private final Recipient recipient;

    /** @param dbCpuMillisPerMessage the embedded PostgreSQL's CPU (0 on H2, which runs inside the gateway) */
    private record Figures(double perSecond, double cpuMillisPerMessage, double dbCpuMillisPerMessage, long p50, long p99,
                           Duration startToReady, long peakRssKb, int lost, int duplicates) {
        /** All the CPU a message costs the machine, the load generator and the recipient aside. */
        double totalCpuMillisPerMessage() {
            return cpuMillisPerMessage + dbCpuMillisPerMessage;
        }
    }

    private Bench(Map<String, String> options) throws Exception {
        this.options = options;
        this.jvm = Arrays.stream(options.getOrDefault("jvm", "").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
        Path base = Path.of(options.getOrDefault("dir", "target/bench")).toAbsolutePath();
        this.keys = base.resolve("keys");
        // each invocation in its own folder: conf and H2 files of an earlier one are never reused
        this.dir = base.resolve(java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        for (String id : GatewayFixture.AGENCIES) {
            if (!Files.exists(KeyMaterial.privateKeyFile(keys, id))) {
                KeyMaterial.writeFiles(keys, id, id);
            }
        }
        this.samples = new TestMessages(keys);
        this.recipient = new Recipient();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        Bench bench = new Bench(options);
        try {
            bench.throughput();
        } finally {
            bench.recipient.close();
        }
        System.exit(0); // embedded PostgreSQL stops in its shutdown hook
    }

    private int option(String name, int otherwise) {
        return Integer.parseInt(options.getOrDefault(name, String.valueOf(otherwise)));
    }

    private void throughput() throws Exception {
        int measured = option("messages", 2000);
        int warmUp = option("warmup", 300);
        int clients = option("clients", 16);
        int runs = option("runs", 3);
        List<String> targets = List.of(options.getOrDefault("targets", "pass,h2,pg,pg2").split(","));
        System.out.printf("%d runs; each: %d warm-up + %d measured F1 referrals, %d clients%s; JVM options: %s%n",
                runs, warmUp, measured, clients, options.containsKey("rate") ? " at " + options.get("rate") + " msg/s" : "",
                jvm.isEmpty() ? "(none)" : String.join(" ", jvm));
        Map<String, List<Figures>> all = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        Map<String, List<Double>> readyRatios = new LinkedHashMap<>();
        Map<String, List<Double>> cpuRatios = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            List<Load.Message> messages = Load.signedReferrals(samples, warmUp + measured, run);
            Double baseline = null;
            Duration baselineReady = null;
            Double baselineCpu = null;
            for (String target : targets) {
                Figures f = measure(target, run, messages, warmUp, clients);
                all.computeIfAbsent(target, t -> new ArrayList<>()).add(f);
                if (target.equals("pass")) {
                    baseline = f.perSecond();
                    baselineReady = f.startToReady();
                    baselineCpu = f.totalCpuMillisPerMessage();
                }
                if (baselineCpu != null) {
                    cpuRatios.computeIfAbsent(target, t -> new ArrayList<>()).add(f.totalCpuMillisPerMessage() / baselineCpu);
                }
                if (baselineReady != null) {
                    readyRatios.computeIfAbsent(target, t -> new ArrayList<>())
                            .add((double) f.startToReady().toMillis() / baselineReady.toMillis());
                }
                String ratio = baseline == null ? "" : String.format("%.3fx", f.perSecond() / baseline);
                if (baseline != null) {
                    ratios.computeIfAbsent(target, t -> new ArrayList<>()).add(f.perSecond() / baseline);
                }
                System.out.printf("run %d %-4s %8.1f msg/s %7s  CPU %6.2f ms/msg (+ DB %5.2f)  202 in p50 %4d ms p99 %5d ms  "
                                + "ready %5d ms  peak RSS %4d MB  lost %d  duplicates %d%n", run, target, f.perSecond(),
                        ratio, f.cpuMillisPerMessage(), f.dbCpuMillisPerMessage(), f.p50(), f.p99(), f.startToReady().toMillis(),
                        f.peakRssKb() / 1024, f.lost(), f.duplicates());
            }
        }
        System.out.println();
        System.out.println("target | msg/s | msg/s / pass | CPU ms/msg | DB CPU ms/msg | (CPU + DB) / pass CPU | ready ms"
                + " | ready / pass ready | peak RSS MB | p99 to 202 ms   (each min / median / max)");
        for (var e : all.entrySet()) {
            List<Figures> fs = e.getValue();
            System.out.printf("%s | %s | %s | %s | %s | %s | %s | %s | %s | %s%n", e.getKey(),
                    spread(fs.stream().mapToDouble(Figures::perSecond).toArray(), "%.1f"),
                    ratios.containsKey(e.getKey())
                            ? spread(ratios.get(e.getKey()).stream().mapToDouble(d -> d).toArray(), "%.3f") : "-",
                    spread(fs.stream().mapToDouble(Figures::cpuMillisPerMessage).toArray(), "%.2f"),
                    spread(fs.stream().mapToDouble(Figures::dbCpuMillisPerMessage).toArray(), "%.2f"),
                    cpuRatios.containsKey(e.getKey())
                            ? spread(cpuRatios.get(e.getKey()).stream().mapToDouble(d -> d).toArray(), "%.1f") : "-",
                    spread(fs.stream().mapToDouble(f -> f.startToReady().toMillis()).toArray(), "%.0f"),
                    readyRatios.containsKey(e.getKey())
                            ? spread(readyRatios.get(e.getKey()).stream().mapToDouble(d -> d).toArray(), "%.2f") : "-",
                    spread(fs.stream().mapToDouble(f -> f.peakRssKb() / 1024.0).toArray(), "%.0f"),
                    spread(fs.stream().mapToDouble(Figures::p99).toArray(), "%.0f"));
        }
    }

    /** One target in one run. */
    private Figures measure(String target, int run, List<Load.Message> messages, int warmUp, int clients)
            throws Exception {
        recipient.forget();
        Path runDir = dir.resolve("run" + run + "-" + target);
        List<Node> nodes = new ArrayList<>();
        boolean postgres = target.startsWith("pg");
        int databasePort = -1;
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            if (target.equals("pass")) {
                nodes.add(Node.passThrough(jvm, freePort(), recipient.endpoint(Load.RECIPIENT), runDir));
            } else {
                String url = postgres ? TestDatabases.freshUrl(TestDatabases.Kind.POSTGRESQL)
                        : "jdbc:h2:file:" + runDir.resolve("db/tsunagi");
                Path conf = GatewayFixture.writeConf(runDir, keys, recipient::endpoint, url, postgres);
                databasePort = postgres ? java.net.URI.create(url.substring("jdbc:".length())).getPort() : -1;
                // the product's delivery defaults, not the fixture's fast test settings
                Files.writeString(conf.resolve("gateway.properties"), String.join("\n", "",
                        "tsunagi.delivery.poll-interval=1s", "tsunagi.delivery.base-delay=1s",
                        "tsunagi.delivery.max-delay=5m", "tsunagi.delivery.max-attempts=20",
                        "tsunagi.delivery.request-timeout=30s", ""), java.nio.file.StandardOpenOption.APPEND);
                // --settings="key=value;key=value": gateway settings to compare (docs/settings.md), after the above
                Files.writeString(conf.resolve("gateway.properties"),
                        String.join("\n", options.getOrDefault("settings", "").split(";")) + "\n",
                        java.nio.file.StandardOpenOption.APPEND);
                int count = target.equals("pg2") ? 2 : 1;
                for (int i = 0; i < count; i++) {
                    nodes.add(Node.gateway(jvm, conf, freePort(), runDir.resolve("node" + i)));
                }
            }
            Duration ready = nodes.get(0).startToReady;
            // only what was acknowledged will arrive (a refused connection, e.g. beyond the gateway's connections per
            // client, is not): the run would otherwise wait for the warm-up forever
            int warmedUp = Load.post(nodes, messages.subList(0, warmUp), clients).acknowledged().size();
            await(warmedUp);
            sampler.scheduleAtFixedRate(() -> nodes.forEach(Node::sampleRssKb), 0, 100, TimeUnit.MILLISECONDS);
            List<Load.Message> timed = messages.subList(warmUp, messages.size());
            long cpuBefore = nodes.stream().mapToLong(Node::cpuMillis).sum();
            long dbCpuBefore = postgres ? Node.databaseCpuMillis(databasePort) : 0;
            long start = System.nanoTime();
            Load.Result result = Load.post(nodes, timed, clients, Double.parseDouble(options.getOrDefault("rate", "0")));
            await(warmedUp + result.acknowledged().size());
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuPerMessage = (nodes.stream().mapToLong(Node::cpuMillis).sum() - cpuBefore)
                    / (double) result.acknowledged().size();
            double dbCpuPerMessage = postgres ? (Node.databaseCpuMillis(databasePort) - dbCpuBefore) / (double) result.acknowledged().size() : 0;
            int lost = (int) timed.stream().filter(m -> result.acknowledged().contains(m.id())
                    && !recipient.received(Load.RECIPIENT, m.id())).count();
            long peak = nodes.stream().mapToLong(Node::peakRssKb).max().orElse(0);
            return new Figures(result.acknowledged().size() / seconds, cpuPerMessage, dbCpuPerMessage, result.percentileMillis(0.50),
                    result.percentileMillis(0.99), ready, peak, lost, recipient.duplicates(Load.RECIPIENT));
        } finally {
            sampler.shutdownNow();
            for (Node node : nodes) {
                node.close();
            }
        }
    }

    private void await(int n) throws InterruptedException {
        if (!recipient.await(Load.RECIPIENT, n, Duration.ofMinutes(10))) {
            throw new IllegalStateException("the recipient has " + recipient.messages(Load.RECIPIENT) + " of " + n);
        }
    }

    private static String spread(double[] values, String format) {
        return Spread.of(values, format);
    }

    static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
