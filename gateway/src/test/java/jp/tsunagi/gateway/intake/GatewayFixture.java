package jp.tsunagi.gateway.intake;

import jp.tsunagi.gateway.app.Gateway;
import jp.tsunagi.gateway.app.GatewaySettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.store.TestDatabases;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.validation.MessageReader;

/**
 * A real gateway for end-to-end tests: the default conf/ of つなぎ市 with every connector pointed at a
 * {@link RecipientSimulator}, fresh keys, a fresh database of the given kind, HTTP on a free port.
 */
public final class GatewayFixture implements AutoCloseable {
    /** Changes to the fixture's conf/ directory before the gateway starts (routes, mappings, connectors). */
    @FunctionalInterface
    public interface ConfEdit {
        void edit(Path conf) throws IOException;
    }

    public static final List<String> AGENCIES = List.of("gateway", "tsunagi-hub", "tsunagi-welfare", "tsunagi-hellowork",
            "tsunagi-houkatsu", "tsunagi-tax");

    public final Path dir;
    public final RecipientSimulator recipients;
    public final Gateway gateway;
    public final AgencyDirectory agencies;
    public final TestMessages messages;
    private final HttpClient client = HttpClient.newHttpClient();

    public GatewayFixture(Path dir, TestDatabases.Kind kind) throws Exception {
        this(dir, kind, "");
    }

    public GatewayFixture(Path dir, TestDatabases.Kind kind, ConfEdit edit) throws Exception {
        this(dir, TestDatabases.freshUrl(kind), kind == TestDatabases.Kind.POSTGRESQL, "", edit);
    }

    /** @param extraProperties lines appended to gateway.properties, overriding the fixture's */
    GatewayFixture(Path dir, TestDatabases.Kind kind, String extraProperties) throws Exception {
        this(dir, TestDatabases.freshUrl(kind), kind == TestDatabases.Kind.POSTGRESQL, extraProperties);
    }

    GatewayFixture(Path dir, String dbUrl, boolean postgres, String extraProperties) throws Exception {
        this(dir, dbUrl, postgres, extraProperties, conf -> { });
    }

    GatewayFixture(Path dir, String dbUrl, boolean postgres, String extraProperties, ConfEdit edit) throws Exception {
        this.dir = dir;
        this.recipients = new RecipientSimulator();
        Path keys = dir.resolve("keys");
        Path conf = writeConf(dir, keys, recipients, dbUrl, postgres);
        Files.writeString(conf.resolve("gateway.properties"), extraProperties, java.nio.file.StandardOpenOption.APPEND);
        for (String id : AGENCIES) {
            KeyMaterial.writeFiles(keys, id, id);
        }
        edit.edit(conf);
        this.agencies = AgencyDirectory.inConfDirectory(conf);
        this.messages = new TestMessages(keys);
        GatewaySettings settings = GatewaySettings.load(conf);
        this.gateway = Gateway.start(settings, null, Clock.systemDefaultZone());
    }

    /** conf/ of the repository, keys and connector endpoints redirected, fast retries, a free port. */
    public static Path writeConf(Path dir, Path keys, RecipientSimulator recipients, String dbUrl, boolean postgres) throws IOException {
        return writeConf(dir, keys, recipients::endpoint, dbUrl, postgres);
    }

    /** The same, each agency's connector pointed at the endpoint the function gives for its id (the benchmarks' recipient). */
    public static Path writeConf(Path dir, Path keys, java.util.function.Function<String, String> endpoint, String dbUrl,
                                 boolean postgres) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        String agenciesYaml = Files.readString(Path.of("../conf/agencies.yaml")).replace("data/keys/", keys + "/");
        agenciesYaml = redirectEndpoints(agenciesYaml, endpoint);
        Files.writeString(conf.resolve("agencies.yaml"), agenciesYaml);
        Files.copy(Path.of("../conf/policy.yaml"), conf.resolve("policy.yaml"));
        Files.writeString(conf.resolve("gateway.properties"), String.join("\n",
                "tsunagi.db.url=" + dbUrl,
                postgres ? "tsunagi.db.user=postgres\ntsunagi.db.password=postgres" : "",
                "tsunagi.keys.dir=" + keys,
                "tsunagi.http.host=127.0.0.1",
                "tsunagi.http.port=" + freePort(),
                "tsunagi.delivery.poll-interval=50ms",
                "tsunagi.delivery.base-delay=20ms",
                "tsunagi.delivery.max-delay=200ms",
                "tsunagi.delivery.max-attempts=4",
                "tsunagi.delivery.request-timeout=2s",
                "# the simulated agency systems POST to connector HTTP sources from this machine, without mutual TLS",
                "tsunagi.connectors.http.allowed-networks=127.0.0.1,::1",
                ""));
        return conf;
    }

    /** Each agency's connector becomes HTTP to /<agencyId> on the simulator (routes are set up by the tests that use them). */
    private static String redirectEndpoints(String yaml, java.util.function.Function<String, String> endpoint) {
        StringBuilder out = new StringBuilder();
        String agency = null;
        for (String line : yaml.split("\n", -1)) {
            var id = java.util.regex.Pattern.compile("^\\s*-\\s*id:\\s*(\\S+)").matcher(line);
            if (id.find()) {
                agency = id.group(1);
            }
            if (line.trim().startsWith("kind:") && agency != null) {
                line = line.substring(0, line.indexOf("kind:")) + "kind: http";
            }
            if (line.trim().startsWith("endpoint:") && agency != null) {
                line = line.substring(0, line.indexOf("endpoint:")) + "endpoint: " + endpoint.apply(agency);
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public SigningKey key(String agencyId) {
        return messages.key(agencyId);
    }

    public ObjectNode sample(String prefix, Consumer<ObjectNode> edit) throws IOException {
        return messages.sample(prefix, edit);
    }

    public ObjectNode sample(String prefix) throws IOException {
        return messages.sample(prefix, m -> { });
    }

    /** Signs as the message's sender and submits it, in JSON or XML. */
    public HttpResponse<byte[]> send(ObjectNode message, MessageFormat format) throws Exception {
        return send(message, format, key(message.get("sender").asText()));
    }

    HttpResponse<byte[]> send(ObjectNode message, MessageFormat format, SigningKey key) throws Exception {
        byte[] document = format == MessageFormat.JSON ? JsonCodec.write(message)
                : XmlCodec.write(new MessageReader().readJson(JsonCodec.write(message)));
        return post(MessageSignatures.sign(document, key), format.mediaType());
    }

    public HttpResponse<byte[]> send(ObjectNode message) throws Exception {
        return send(message, MessageFormat.JSON);
    }

    public HttpResponse<byte[]> post(byte[] body, String contentType) throws Exception {
        return client.send(HttpRequest.newBuilder(uri("/api/v1/messages")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    /** Waits until the simulator has processed n copies for the agency. */
    public List<RecipientSimulator.Received> awaitCopies(String agency, int n) throws InterruptedException {
        return await(() -> recipients.processedBy(agency), copies -> copies.size() >= n,
                "expected " + n + " copies for " + agency);
    }

    /**
     * Waits until the simulator has processed a copy for the agency that matches, and returns it: what a test needs
     * when the gateway's own notices (受信, 不達, 督促) arrive among the copies in an order delivery decides.
     */
    public Message awaitCopy(String agency, Predicate<Message> which) throws InterruptedException {
        MessageReader reader = new MessageReader();
        return await(() -> recipients.processedBy(agency).stream().map(copy -> reader.read(copy.body())).filter(which)
                .findFirst().orElse(null), Objects::nonNull, "no such copy for " + agency);
    }

    /** The copies for the agency that come from that sender (not, say, the gateway's own notices), once there are n. */
    public List<RecipientSimulator.Received> awaitCopiesFrom(String agency, String sender, int n) throws InterruptedException {
        return await(() -> copiesFrom(agency, sender), copies -> copies.size() >= n,
                "expected " + n + " copies for " + agency + " from " + sender);
    }

    /** The probe's answer once it is ready, polled for up to 15 s. */
    private static <T> T await(Supplier<T> probe, Predicate<T> ready, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        T value = probe.get();
        while (!ready.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = probe.get();
        }
        if (!ready.test(value)) {
            throw new AssertionError(failure + ", got " + value);
        }
        return value;
    }

    public List<RecipientSimulator.Received> copiesFrom(String agency, String sender) {
        MessageReader reader = new MessageReader();
        return recipients.processedBy(agency).stream().filter(r -> reader.read(r.body()).getSender().equals(sender)).toList();
    }

    /**
     * How many copies the gateway has queued for the agency, in all: every copy it will ever send is an outbox row,
     * written before the sender's answer, so once a submission is answered this count is final (how a test proves
     * that nothing more will arrive, without waiting for it not to).
     */
    public long copiesQueuedFor(String agency) throws java.sql.SQLException {
        try (var c = gateway.database().dataSource().getConnection();
             var query = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE recipient = ?")) {
            query.setString(1, agency);
            try (var rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A status update of that status from that sender. */
    public static Predicate<Message> statusUpdate(String sender, String status) {
        return m -> m.getStatusUpdate() != null && m.getSender().equals(sender) && m.getStatusUpdate().getStatus().name().equals(status);
    }

    @Override
    public void close() {
        gateway.close();
        recipients.close();
    }
}
