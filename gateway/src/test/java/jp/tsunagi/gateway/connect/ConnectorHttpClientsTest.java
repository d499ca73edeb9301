package jp.tsunagi.gateway.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagi.connectors.simulator.WelfareOfficeSystem;
import jp.tsunagi.gateway.intake.GatewayFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 15 item 5: a connector HTTP source takes no document without a credential unless told to, and says so. */
class ConnectorHttpClientsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("jp.tsunagi.gateway.store.TestDatabases#kinds")
    void withoutMutualTlsAndWithoutAnAllowedNetworkAPostedDocumentIsRefused401AuditedAndNothingIsSignedAsTheAgency(
            TestDatabases.Kind kind) throws Exception {
        try (GatewayFixture g = new GatewayFixture(dir, kind, conf -> {
            Path settings = conf.resolve("gateway.properties");
            // the default: no allowed network (the fixture's own line for its simulators removed)
            Files.writeString(settings, Files.readString(settings).replaceAll("(?m)^tsunagi\\.connectors\\.http\\.allowed-networks=.*$", ""));
            ConnectorConf.copyMappings(conf);
            ConnectorConf.route(conf, "welfare-office.yaml", """
                    - route:
                        id: welfare-office-in
                        from:
                          uri: "kamelet:tsunagi-http-source"
                          parameters: {path: /connectors/welfare}
                          steps:
                            - to: "tsunagi:intake?agency=tsunagi-welfare&mappings=welfare-sends-referral&result=json"
                    """);
        })) {
            byte[] document = WelfareOfficeSystem.notEligible("WEL-2026-000141").getBytes(Charset.forName("Windows-31J"));
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(g.uri("/connectors/welfare"))
                    .header("Content-Type", "application/xml").POST(HttpRequest.BodyPublishers.ofByteArray(document)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).contains("connector.client_not_allowed").doesNotContain("中村");
            try (var c = g.gateway.database().dataSource().getConnection();
                 var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM message")) {
                rs.next();
                assertThat(rs.getLong(1)).as("messages signed as the welfare office").isZero();
            }
            g.gateway.awaitAuditChained();
            try (var c = g.gateway.database().dataSource().getConnection();
                 var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM audit_entry WHERE action = 'REJECTED'"
                         + " AND actor = 'tsunagi-welfare' AND code = 'connector.client_not_allowed'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("the refusal audited").isEqualTo(1);
            }
        }
    }

    @Test
    void anAllowedNetworkHoldsItsAddressesOnlyAndTheOptOutLetsAnyoneIn() {
        ConnectorHttpClients lan = new ConnectorHttpClients(List.of(ConnectorHttpClients.Network.parse("10.20.0.0/16"),
                ConnectorHttpClients.Network.parse("127.0.0.1")), false);
        assertThat(lan.allows("10.20.3.4")).isTrue();
        assertThat(lan.allows("127.0.0.1")).isTrue();
        assertThat(lan.allows("10.21.0.1")).isFalse();
        assertThat(lan.allows("127.0.0.2")).isFalse();
        assertThat(lan.allows(null)).isFalse();
        assertThat(ConnectorHttpClients.NONE.allows("127.0.0.1")).isFalse();
        assertThat(new ConnectorHttpClients(List.of(), true).allows("203.0.113.9")).isTrue();
        assertThatThrownBy(() -> ConnectorHttpClients.Network.parse("welfare.example.jp"))
                .hasMessageContaining("tsunagi.connectors.http.allowed-networks");
        assertThatThrownBy(() -> ConnectorHttpClients.Network.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }
}
