package jp.tsunagi.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import jp.tsunagi.connectors.mapping.Mapping;
import jp.tsunagi.connectors.simulator.AgencyFolder;
import jp.tsunagi.connectors.simulator.NativeHttpAgency;
import jp.tsunagi.connectors.simulator.SftpAgencyServer;
import jp.tsunagi.connectors.simulator.SimulatedAgency;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.connect.ConnectorRoutes;
import jp.tsunagi.gateway.connect.Mappings;
import jp.tsunagi.schema.codec.JsonCodec;

/**
 * The simulated agency systems of the demo, built from the configuration itself: an agency with an {@code http}
 * connector gets a shared-schema receiver at its endpoint; an agency with a {@code route} connector gets what its
 * route writes to (a folder, an SFTP server, an HTTP API), and sends its documents the way its intake route reads
 * them, in its own format (written with the same mappings, in the other direction).
 */
final class DemoSystems implements AutoCloseable {
    /** What became of a native document: the result line's status and code ("ACCEPTED", "REJECTED mapping.required"). */
    record Sent(String channel, String outcome, boolean accepted) {
    }

    private final AgencyDirectory agencies;
    private final ConnectorRoutes routes;
    private final Mappings mappings;
    private final Path exchange;
    private final Map<String, SimulatedAgency> shared = new LinkedHashMap<>();
    private final Map<String, NativeHttpAgency> apis = new LinkedHashMap<>();
    private final Map<Integer, SftpAgencyServer> sftp = new LinkedHashMap<>();
    /** Where each route agency finds what the gateway wrote for it (a folder, or a directory under an SFTP root). */
    private final Map<String, Path> inboxes = new LinkedHashMap<>();
    /** What the inboxes held before this run (a previous demo's documents in data/exchange): not received now. */
    private final java.util.Set<Path> earlier = new java.util.HashSet<>();
    private final HttpClient client = HttpClient.newHttpClient();
    /** Agencies whose shared-schema system is down for now (answers 503): how the demo keeps a copy undelivered. */
    private final java.util.Set<String> down = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private DemoSystems(AgencyDirectory agencies, ConnectorRoutes routes, Mappings mappings, Path exchange) {
        this.agencies = agencies;
        this.routes = routes;
        this.mappings = mappings;
        this.exchange = exchange;
    }

    /** @param exchange where SFTP servers keep their files (data/exchange) */
    static DemoSystems start(AgencyDirectory agencies, Path conf, Path exchange) throws IOException {
        DemoSystems systems = new DemoSystems(agencies, ConnectorRoutes.inConfDirectory(conf), Mappings.inConfDirectory(conf), exchange);
        try {
            for (Agency agency : agencies.agencies()) {
                systems.startFor(agency);
            }
            return systems;
        } catch (IOException | RuntimeException e) {
            systems.close();
            throw e;
        }
    }

    private void startFor(Agency agency) throws IOException {
        if (!"route".equals(agency.connector().kind())) {
            URI endpoint = URI.create(agency.connector().endpoint());
            shared.put(agency.id(), SimulatedAgency.start(agency.id(), endpoint.getPort(), endpoint.getPath(),
                    () -> down.contains(agency.id())));
            return;
        }
        ConnectorRoutes.Route out = routes.startingAt(agency.connector().endpoint())
                .orElseThrow(() -> new IllegalArgumentException(agency.id() + ": no route starts at " + agency.connector().endpoint()));
        ConnectorRoutes.Endpoint sink = out.steps().get(out.steps().size() - 1);
        switch (sink.name()) {
            case "kamelet:tsunagi-folder-sink" -> inboxes.put(agency.id(), Files.createDirectories(Path.of(sink.parameter("directory"))));
            case "kamelet:tsunagi-sftp-sink" -> inboxes.put(agency.id(),
                    Files.createDirectories(under(sftpServer(sink).root(), sink.parameter("directory"))));
            case "kamelet:tsunagi-http-sink" -> {
                URI url = URI.create(sink.parameter("url"));
                apis.put(agency.id(), NativeHttpAgency.start(agency.id(), url.getPort(), url.getPath(),
                        NativeHttpAgency.Reply.text(200, "application/json", "{\"result\":\"OK\"}", StandardCharsets.UTF_8)));
            }
            default -> throw new IllegalArgumentException(agency.id() + ": the demo cannot simulate " + sink.name());
        }
        Path inbox = inboxes.get(agency.id());
        if (inbox != null) {
            try (Stream<Path> files = Files.list(inbox)) {
                files.forEach(earlier::add);
            }
        }
        Optional<ConnectorRoutes.Route> in = routes.intakeOf(agency.id());
        if (in.isPresent() && in.get().from().name().equals("kamelet:tsunagi-sftp-source")) {
            sftpServer(in.get().from());
        }
    }

    /** One simulated SFTP server per port, rooted under data/exchange/sftp-<port>. */
    private SftpAgencyServer sftpServer(ConnectorRoutes.Endpoint endpoint) throws IOException {
        int port = Integer.parseInt(endpoint.parameter("port"));
        SftpAgencyServer server = sftp.get(port);
        if (server == null) {
            server = SftpAgencyServer.start(Files.createDirectories(exchange.resolve("sftp-" + port)), port,
                    endpoint.parameter("username"), endpoint.parameter("password"));
            sftp.put(port, server);
            pinHostKey(server, endpoint);
        }
        return server;
    }

    /**
     * The route refuses a server whose host key it does not know (as in production): the simulator's new key goes into
     * the known_hosts file the route names.
     */
    private static void pinHostKey(SftpAgencyServer server, ConnectorRoutes.Endpoint endpoint) throws IOException {
        String knownHosts = endpoint.parameter("knownHostsFile");
        if (knownHosts != null && !knownHosts.isBlank()) {
            Path file = Path.of(knownHosts).toAbsolutePath();
            Files.createDirectories(file.getParent());
            Files.writeString(file, server.knownHostsLine(endpoint.parameter("host")) + "\n");
        }
    }

    /** Takes the agency's shared-schema system down (it answers 503, keeping nothing) or brings it back. */
    void down(String agencyId, boolean isDown) {
        if (isDown) {
            down.add(agencyId);
        } else {
            down.remove(agencyId);
        }
    }

    /** Whether the agency's system speaks its own format (its connector is a route). */
    boolean isNative(String agencyId) {
        return agencies.agency(agencyId).map(a -> "route".equals(a.connector().kind())).orElse(false);
    }

    /**
     * Sends a message as the agency's own system would: written in its format with the mapping its intake route
     * reads, through the route's source (a file into its folder or onto the SFTP server, or a POST to the gateway),
     * then waits for the result.
     */
    Sent send(JsonNode message, URI gateway) throws IOException, InterruptedException {
        String sender = message.get("sender").asText();
        String type = message.get("messageType").asText();
        ConnectorRoutes.Route route = routes.intakeOf(sender)
                .orElseThrow(() -> new IllegalArgumentException(sender + ": no intake route in conf/routes"));
        ConnectorRoutes.Endpoint intake = route.step("tsunagi:intake").orElseThrow();
        Mapping mapping = null;
        byte[] document = null;
        // several mappings may read one type (a household referral, an emergency referral): the first that can write it
        for (Mapping candidate : mappings.named(intake.parameter("mappings"))) {
            if (document == null && candidate.messageType().equals(type)) {
                try {
                    document = candidate.write(List.of(message));
                    mapping = candidate;
                } catch (Mapping.RecordException e) {
                    // lacks what this layout requires: try the next
                }
            }
        }
        if (mapping == null) {
            throw new IllegalArgumentException(sender + ": no mapping of its intake route writes this " + type);
        }
        String file = type.toLowerCase().replace('_', '-') + "-" + message.get("messageId").asText() + "." + mapping.fileExtension();
        ConnectorRoutes.Endpoint source = route.from();
        return switch (source.name()) {
            case "kamelet:tsunagi-http-source" -> post(gateway.resolve(source.parameter("path")), mapping.mediaType(), document);
            case "kamelet:tsunagi-folder-source" -> drop(Path.of(source.parameter("directory")), resultDirectory(route), file,
                    document, mapping.fileExtension() + " file in a folder");
            case "kamelet:tsunagi-sftp-source" -> {
                Path root = sftpServer(source).root();
                yield drop(under(root, source.parameter("directory")), under(root, resultDirectory(route).toString()), file,
                        document, mapping.fileExtension() + " file over SFTP");
            }
            default -> throw new IllegalArgumentException(sender + ": the demo cannot send through " + source.name());
        };
    }

    /** A directory of an SFTP server on the local disk (paths on the server are relative to its root). */
    private static Path under(Path root, String directory) {
        return root.resolve(directory.replaceFirst("^/+", ""));
    }

    private static Path resultDirectory(ConnectorRoutes.Route route) {
        return route.after("tsunagi:intake").map(s -> Path.of(s.parameter("directory")))
                .orElseThrow(() -> new IllegalArgumentException(route.id() + ": no step after tsunagi:intake writes the result"));
    }

    private Sent post(URI url, String mediaType, byte[] document) throws IOException, InterruptedException {
        HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(url).header("Content-Type", mediaType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(document)).build(), HttpResponse.BodyHandlers.ofByteArray());
        String channel = mediaType.split(";")[0] + " POST";
        if (answer.statusCode() != 200 && answer.statusCode() != 422) {
            return new Sent(channel, "HTTP " + answer.statusCode(), false);
        }
        JsonNode record = JsonCodec.parse(answer.body()).path("records").path(0);
        return outcome(channel, record.path("status").asText(), record.path("code").asText(""));
    }

    private static Sent drop(Path into, Path results, String file, byte[] document, String channel)
            throws IOException, InterruptedException {
        Files.createDirectories(into);
        AgencyFolder.publish(into, file, out -> out.write(document));
        Path result = results.resolve(file + ".result.csv");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(result) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!Files.exists(result)) {
            return new Sent(channel, "no result file", false);
        }
        // 行番号,結果,紹介ID,メッセージID,理由コード,理由: the first record's status and code
        String[] line = new String(Files.readAllBytes(result), "windows-31j").split("\r\n")[1].split(",", -1);
        return outcome(channel, line[1], line[4]);
    }

    private static Sent outcome(String channel, String status, String code) {
        return new Sent(channel, status + (code.isEmpty() ? "" : " " + code), status.equals("ACCEPTED"));
    }

    /** A document as a native system received it: how it came (a file name, an API call) and its bytes. */
    private record Arrived(String how, byte[] body) {
    }

    /** A document a native system received, read back with the agency's mapping that reads it (null: none does). */
    private record ReadBack(Arrived document, Mapping mapping, JsonNode fields) {
    }

    /**
     * What a native system received, one line per document: the message type of the agency's mapping that reads it
     * back, and how it came ({@code STATUS_UPDATE in status-update.dat}, {@code REFERRAL by application/xml POST}).
     */
    List<String> received(String agencyId) {
        return readBack(agencyId).stream().map(r -> (r.mapping() == null ? "a document no mapping reads"
                : describe(r.mapping(), r.fields())) + " " + r.document().how()).toList();
    }

    /** What a native system received, read back into message fields with the agency's own mappings, in order. */
    List<JsonNode> receivedMessages(String agencyId) {
        return readBack(agencyId).stream().map(ReadBack::fields).toList();
    }

    private List<ReadBack> readBack(String agencyId) {
        List<Mapping> outbound = outboundMappings(agencyId);
        return arrived(agencyId).stream().map(doc -> outbound.stream().filter(m -> m.matches(doc.body())).findFirst()
                .map(m -> new ReadBack(doc, m, m.read(doc.body()).get(0).message()))
                .orElseGet(() -> new ReadBack(doc, null, JsonCodec.mapper().createObjectNode()))).toList();
    }

    /** {@code STATUS_UPDATE RECEIVED from the gateway}: the type, a status update's status, and who sent it if it was the gateway. */
    private String describe(Mapping mapping, JsonNode fields) {
        String status = fields.at("/statusUpdate/status").asText("");
        boolean fromGateway = fields.path("sender").asText("").equals(agencies.gateway().id());
        return mapping.messageType() + (status.isEmpty() ? "" : " " + status) + (fromGateway ? " from the gateway" : "");
    }

    /** The mappings of the route that writes for the agency ({@code tsunagi:render?mappings=...}). */
    private List<Mapping> outboundMappings(String agencyId) {
        return agencies.agency(agencyId).flatMap(a -> routes.startingAt(a.connector().endpoint()))
                .flatMap(r -> r.step("tsunagi:render")).map(step -> mappings.named(step.parameter("mappings"))).orElse(List.of());
    }

    private List<Arrived> arrived(String agencyId) {
        if (apis.containsKey(agencyId)) {
            return apis.get(agencyId).received().stream()
                    .map(r -> new Arrived("by " + r.contentType().split(";")[0] + " POST", r.body())).toList();
        }
        Path inbox = inboxes.get(agencyId);
        if (inbox == null || !Files.isDirectory(inbox)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(inbox)) {
            List<Arrived> arrived = new ArrayList<>();
            List<Path> documents = files.filter(f -> Files.isRegularFile(f) && isDocument(f.getFileName().toString())
                            && !earlier.contains(f))
                    .sorted(Comparator.comparing(DemoSystems::modified).thenComparing(Path::getFileName)).toList();
            for (Path file : documents) {
                // status-update-20261129101500-<messageId>.dat reads as status-update.dat
                String name = file.getFileName().toString().replaceFirst("-[0-9]{14}-[0-9a-f-]{36}", "");
                arrived.add(new Arrived("in " + name, Files.readAllBytes(file)));
            }
            return arrived;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** In the order they were written (names sort by message type first). */
    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isDocument(String name) {
        return !name.startsWith(".") && !name.endsWith(".result.csv") && !name.endsWith(".result.json");
    }

    /** The documents for shared-schema agencies, as they arrived (to describe their content). */
    List<byte[]> sharedBodies(String agencyId) {
        SimulatedAgency agency = shared.get(agencyId);
        return agency == null ? List.of() : agency.received().stream().map(SimulatedAgency.Received::body).toList();
    }

    int receivedCount() {
        return agencies.agencies().stream().mapToInt(a -> isNative(a.id()) ? arrived(a.id()).size() : sharedBodies(a.id()).size()).sum();
    }

    /** Where the simulated systems listen, for the story. */
    List<String> describe() {
        List<String> lines = new ArrayList<>();
        shared.forEach((id, s) -> lines.add(id + " http://127.0.0.1:" + s.port() + " (shared schema)"));
        apis.forEach((id, s) -> lines.add(id + " " + s.endpoint() + " (own format)"));
        inboxes.forEach((id, path) -> lines.add(id + " " + path + (sftpRootOf(path) ? " (SFTP)" : " (folder)")));
        return lines;
    }

    private boolean sftpRootOf(Path path) {
        return sftp.values().stream().anyMatch(s -> path.startsWith(s.root()));
    }

    @Override
    public void close() {
        shared.values().forEach(SimulatedAgency::close);
        apis.values().forEach(NativeHttpAgency::close);
        sftp.values().forEach(SftpAgencyServer::close);
    }
}
