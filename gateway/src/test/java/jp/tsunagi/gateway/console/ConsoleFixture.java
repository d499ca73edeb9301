package jp.tsunagi.gateway.console;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import jp.tsunagi.gateway.audit.AuditChain;
import jp.tsunagi.gateway.app.Gateway;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.app.GatewaySettings;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * A real gateway (the repository's conf/, fresh keys, an H2 file database in a temporary directory, HTTP on a free
 * port) on a clock the test can move forward, with console accounts of each role.
 */
final class ConsoleFixture implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";

    final Path dir;
    final Path conf;
    final Path keys;
    final String dbUrl;
    final ShiftingClock clock = new ShiftingClock();
    final Gateway gateway;
    final String base;

    ConsoleFixture(Path dir, String extraProperties) throws Exception {
        this.dir = dir;
        this.conf = Files.createDirectories(dir.resolve("conf"));
        this.keys = dir.resolve("keys");
        this.dbUrl = "jdbc:h2:file:" + dir.resolve("data/tsunagi").toAbsolutePath();
        Files.writeString(conf.resolve("agencies.yaml"),
                Files.readString(Path.of("../conf/agencies.yaml")).replace("data/keys/", keys + "/"));
        Files.copy(Path.of("../conf/policy.yaml"), conf.resolve("policy.yaml"));
        int port = freePort();
        Files.writeString(conf.resolve("gateway.properties"), String.join("\n",
                "tsunagi.db.url=" + dbUrl,
                "tsunagi.keys.dir=" + keys,
                "tsunagi.http.host=127.0.0.1",
                "tsunagi.http.port=" + port,
                extraProperties,
                ""));
        for (String id : GatewayFixture.AGENCIES) {
            KeyMaterial.writeFiles(keys, id, id);
        }
        this.gateway = Gateway.start(GatewaySettings.load(conf), null, clock);
        this.base = "http://127.0.0.1:" + port;
    }

    /** Adds an account of the role, named after it (e.g. "auditor"), with {@link #PASSWORD}. */
    void account(Role role) throws SQLException {
        accounts().add(role.id(), role, PASSWORD.toCharArray(), false, "test-setup");
    }

    Accounts accounts() {
        return new Accounts(gateway.database().dataSource(), chain(), ConsoleSettings.inConfDirectory(conf), clock);
    }

    AuditChain chain() {
        return new AuditChain(new SigningKey("gateway#1", Pem.readPrivateKey(keys.resolve("gateway.key.pem"))));
    }

    /** Signs the message as its sender and submits it to the gateway, as an agency's system would. */
    java.net.http.HttpResponse<String> submit(com.fasterxml.jackson.databind.node.ObjectNode message) throws Exception {
        byte[] signed = jp.tsunagi.schema.signature.MessageSignatures.sign(jp.tsunagi.schema.codec.JsonCodec.write(message),
                new jp.tsunagi.gateway.intake.TestMessages(keys).key(message.get("sender").asText()));
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/messages"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(signed)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        gateway.close();
    }
}
