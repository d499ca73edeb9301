package jp.tsunagi.gateway.intake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.validation.MessageReader;

/**
 * bench/soak (issue 15): one gateway process under mixed hostile and valid traffic for a given time, then every
 * valid message must have been accepted (202) and delivered, heap after a full GC back under its starting ceiling,
 * and readiness honest throughout (UP while valid messages were accepted). Prints its figures; exit 1 when one
 * does not hold. Usage: HostileSoak DIR MINUTES [CLIENTS [RATE]]: RATE valid messages a second across all clients
 * (default 10, about the national peak of a whole country's referrals), each after a hostile request; 0 for as fast
 * as the clients go, which on H2 outruns delivery (the backlog then grows without end, and so does the wait).
 */
public final class HostileSoak {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong validSent = new AtomicLong();
    private final AtomicLong validRefused = new AtomicLong();
    private final AtomicLong hostileSent = new AtomicLong();
    private final AtomicLong hostile5xx = new AtomicLong();
    private final AtomicLong hostileClosed = new AtomicLong();
    private final AtomicLong healthChecks = new AtomicLong();
    private final AtomicLong healthDishonest = new AtomicLong();
    private final AtomicLong transportErrors = new AtomicLong();
    private TestMessages messages;
    /** Nanoseconds between two valid messages across all clients (0: no pacing), and the next one's time. */
    private long interval;
    private final AtomicLong nextSlot = new AtomicLong();
    private int port;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "gateway/target/soak");
        double minutes = args.length > 1 ? Double.parseDouble(args[1]) : 30;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        double rate = args.length > 3 ? Double.parseDouble(args[3]) : 10;
        HostileSoak soak = new HostileSoak();
        soak.interval = rate > 0 ? (long) (1e9 / rate) : 0;
        System.exit(soak.run(dir, Duration.ofSeconds((long) (minutes * 60)), clients) ? 0 : 1);
    }

    boolean run(Path dir, Duration length, int clients) throws Exception {
        Files.createDirectories(dir);
        try (RecipientSimulator recipient = new RecipientSimulator()) {
            Path keys = dir.resolve("keys");
            Path conf = GatewayFixture.writeConf(dir, keys, recipient, "jdbc:h2:file:" + dir.resolve("db/tsunagi").toAbsolutePath(), false);
            for (String id : GatewayFixture.AGENCIES) {
                KeyMaterial.writeFiles(keys, id, id);
            }
            messages = new TestMessages(keys);
            port = Integer.parseInt(Files.readAllLines(conf.resolve("gateway.properties")).stream()
                    .filter(l -> l.startsWith("tsunagi.http.port=")).findFirst().orElseThrow().split("=")[1]);
            Process gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), "jp.tsunagi.gateway.cli.TsunagiCli", "serve", "--conf", conf.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
            try {
                awaitReady();
                for (int i = 0; i < 20; i++) { // warm up, then the starting ceiling
                    valid();
                }
                long startHeap = heapAfterGc(gateway.pid());
                long startRss = rss(gateway.pid());
                long started = System.nanoTime();
                nextSlot.set(started);
                long end = started + length.toNanos();
                ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
                List<java.util.concurrent.Future<?>> running = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    running.add(pool.submit(() -> {
                        while (System.nanoTime() < end) {
                            try {
                                paced();
                                hostile();
                                valid();
                            } catch (Exception e) {
                                if (transportErrors.incrementAndGet() <= 5) {
                                    System.out.println("error: " + e.getClass().getName());
                                }
                            }
                        }
                        return null;
                    }));
                }
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        honestHealth();
                        Thread.sleep(5_000);
                    }
                    return null;
                }));
                for (var f : running) {
                    f.get();
                }
                pool.shutdown();
                long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                Set<String> delivered = deliveredOriginals(recipient);
                while (!delivered.containsAll(accepted) && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    delivered = deliveredOriginals(recipient);
                }
                long endHeap = heapAfterGc(gateway.pid());
                long endRss = rss(gateway.pid());
                long ceiling = startHeap * 2 + 32 * 1024 * 1024;
                boolean allDelivered = delivered.containsAll(accepted);
                System.out.printf("soak: %.1f min, %d clients%n", (System.nanoTime() - started) / 60e9, clients);
                System.out.printf("valid: %d sent, %d accepted (202), %d refused, %d delivered%n", validSent.get(),
                        accepted.size(), validRefused.get(), accepted.stream().filter(delivered::contains).count());
                System.out.printf("hostile: %d sent, %d answered 5xx, %d cut off by the server (connection closed); "
                        + "errors in the driver or on the wire: %d%n", hostileSent.get(), hostile5xx.get(), hostileClosed.get(),
                        transportErrors.get());
                System.out.printf("readiness: %d checks, %d dishonest (UP while a valid message was refused, or DOWN while accepted)%n",
                        healthChecks.get(), healthDishonest.get());
                System.out.printf("heap after full GC: start %d MB, end %d MB (ceiling %d MB); RSS start %d MB, end %d MB%n",
                        startHeap >> 20, endHeap >> 20, ceiling >> 20, startRss >> 20, endRss >> 20);
                boolean ok = validRefused.get() == 0 && allDelivered && healthDishonest.get() == 0 && endHeap <= ceiling
                        && hostile5xx.get() == 0 && transportErrors.get() == 0;
                System.out.println(ok ? "soak: PASS" : "soak: FAIL");
                return ok;
            } finally {
                gateway.destroy();
                gateway.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void valid() throws Exception {
        int n = sequence.incrementAndGet();
        ObjectNode message = messages.sample("F6-", m -> m.put("referralId", "REF-2026-" + String.format("%06d", n)));
        MessageFormat format = n % 3 == 0 ? MessageFormat.XML : MessageFormat.JSON;
        HttpResponse<byte[]> answer = post(signed(message, format, "tsunagi-hellowork"), format.mediaType());
        validSent.incrementAndGet();
        if (answer.statusCode() == 202) {
            accepted.add(message.get("messageId").asText());
        } else {
            validRefused.incrementAndGet();
            System.out.println("valid message refused: " + answer.statusCode() + " " + new String(answer.body(), StandardCharsets.UTF_8));
        }
    }

    /** One request of the attack lists of issue 15, chosen at random; each must be refused with a 4xx. */
    private void hostile() throws Exception {
        List<Supplier<byte[][]>> attacks = List.of(
                () -> body("{\"messageId\":", "application/json"),
                () -> body(json(sample(m -> { })), "application/json"), // unsigned
                () -> body(signedJson(sample(m -> { }), "tsunagi-tax"), "application/json"), // another agency's key
                () -> body(signedJson(sample(m -> {
                    ArrayNode issues = ((ObjectNode) m.get("referral")).putArray("issues");
                    for (int i = 0; i < 60_000; i++) {
                        issues.add("X" + i % 10);
                    }
                }), "tsunagi-hellowork"), "application/json"),
                () -> body(signedJson(sample(m -> {
                    ArrayNode issues = ((ObjectNode) m.get("referral")).putArray("issues");
                    for (int i = 0; i < 10; i++) {
                        issues.add("MULTIPLE_DEBTS");
                    }
                }), "tsunagi-hellowork"), "application/json"),
                () -> body(signedJson(sample(m -> m.put("referralId", "090-0000-4649")), "tsunagi-hellowork"), "application/json"),
                // a signed message with a 70,000-character member put in after signing (no signer writes one)
                () -> body(new String(signedJson(sample(m -> { }), "tsunagi-hellowork"), StandardCharsets.UTF_8)
                        .replaceFirst("\\{", "{\"x\":\"" + "a".repeat(70_000) + "\","), "application/json"),
                () -> new byte[][] {("<?xml version=\"1.0\" encoding=\"UTF-16\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><m>&x;</m>")
                        .getBytes(StandardCharsets.UTF_16), "application/xml".getBytes(StandardCharsets.UTF_8)},
                () -> body(new String(signed(sample(m -> { }), MessageFormat.XML, "tsunagi-hellowork"), StandardCharsets.UTF_8)
                        .replace("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
                        "application/xml"),
                () -> body("{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000), "application/json"),
                () -> body("x".repeat(2 * 1024 * 1024), "application/json"));
        byte[][] attack = attacks.get(ThreadLocalRandom.current().nextInt(attacks.size())).get();
        hostileSent.incrementAndGet();
        HttpResponse<byte[]> answer;
        try {
            answer = post(attack[0], new String(attack[1], StandardCharsets.UTF_8));
        } catch (java.io.IOException closed) {
            // the server may close the connection on a body over its limit before the client has sent it all
            hostileClosed.incrementAndGet();
            return;
        }
        if (answer.statusCode() >= 500) {
            hostile5xx.incrementAndGet();
            System.out.println("hostile request answered " + answer.statusCode());
        }
    }

    /** Waits for this client's turn, so that the clients together offer the set rate. */
    private void paced() throws InterruptedException {
        if (interval == 0) {
            return;
        }
        long slot = nextSlot.getAndAdd(interval);
        long wait = slot - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Readiness and intake agree: UP and a valid message then accepted, or DOWN and refused. */
    private void honestHealth() throws Exception {
        HttpResponse<String> ready = client.send(HttpRequest.newBuilder(uri("/api/v1/health/ready")).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        long refusedBefore = validRefused.get();
        valid();
        healthChecks.incrementAndGet();
        boolean acceptedNow = validRefused.get() == refusedBefore;
        if ((ready.statusCode() == 200) != acceptedNow) {
            healthDishonest.incrementAndGet();
            System.out.println("readiness " + ready.statusCode() + " but a valid message " + (acceptedNow ? "accepted" : "refused"));
        }
    }

    private ObjectNode sample(java.util.function.Consumer<ObjectNode> edit) {
        try {
            return messages.sample("F6-", m -> {
                m.put("referralId", "REF-2026-999999");
                edit.accept(m);
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] json(ObjectNode message) {
        return JsonCodec.write(message);
    }

    private byte[] signedJson(ObjectNode message, String signer) {
        return MessageSignatures.sign(JsonCodec.write(message), messages.key(signer));
    }

    private byte[] signed(ObjectNode message, MessageFormat format, String signer) {
        byte[] document = format == MessageFormat.JSON ? JsonCodec.write(message)
                : XmlCodec.write(new MessageReader().readJson(JsonCodec.write(message)));
        return MessageSignatures.sign(document, messages.key(signer));
    }

    private static byte[][] body(String text, String type) {
        return body(text.getBytes(StandardCharsets.UTF_8), type);
    }

    private static byte[][] body(byte[] bytes, String type) {
        return new byte[][] {bytes, type.getBytes(StandardCharsets.UTF_8)};
    }

    private HttpResponse<byte[]> post(byte[] body, String contentType) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/api/v1/messages")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(uri("/api/v1/health")).GET().build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the gateway did not become ready");
    }

    private static Set<String> deliveredOriginals(RecipientSimulator recipient) {
        Set<String> originals = new java.util.HashSet<>();
        MessageReader reader = new MessageReader();
        for (RecipientSimulator.Received copy : recipient.processedBy("tsunagi-hub")) {
            var message = reader.read(copy.body());
            if (message.getProvenance() != null) {
                originals.add(message.getProvenance().getOriginalMessageId());
            }
        }
        return originals;
    }

    /** Used heap after a full GC, read with jcmd (bytes). */
    private static long heapAfterGc(long pid) throws Exception {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
        Process info = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var used = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(text);
        return used.find() ? Long.parseLong(used.group(1)) * 1024 : -1;
    }

    private static long rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(-1L);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
