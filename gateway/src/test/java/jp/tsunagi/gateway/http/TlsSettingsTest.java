package jp.tsunagi.gateway.http;

import jp.tsunagi.gateway.config.ClientCertificates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.app.GatewaySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {
    @TempDir
    Path dir;

    @Test
    void withoutTlsKeysTheGatewayServesPlainHttpAsBefore() throws Exception {
        Files.writeString(dir.resolve("gateway.properties"), "tsunagi.http.port=8443\n");

        GatewaySettings settings = GatewaySettings.load(dir);

        assertThat(settings.tls()).isEqualTo(TlsSettings.DISABLED);
        assertThat(settings.withPort(1).tls()).isEqualTo(TlsSettings.DISABLED);
    }

    @Test
    void theTlsKeysOfGatewayPropertiesAreRead() throws Exception {
        Files.writeString(dir.resolve("gateway.properties"), String.join("\n",
                "tsunagi.tls.enabled=true",
                "tsunagi.tls.key=/etc/tsunagi/tls/server.key.pem",
                "tsunagi.tls.certificate=/etc/tsunagi/tls/server.crt.pem",
                "tsunagi.tls.client-auth=Require",
                "tsunagi.tls.trust=/etc/tsunagi/tls/ca.pem, /etc/tsunagi/tls/other-ca.pem",
                ""));

        TlsSettings tls = GatewaySettings.load(dir).tls();

        assertThat(tls.enabled()).isTrue();
        assertThat(tls.key()).isEqualTo(Path.of("/etc/tsunagi/tls/server.key.pem"));
        assertThat(tls.certificate()).isEqualTo(Path.of("/etc/tsunagi/tls/server.crt.pem"));
        assertThat(tls.clientAuth()).isEqualTo(TlsSettings.ClientAuth.REQUIRE);
        assertThat(tls.trust()).containsExactly(Path.of("/etc/tsunagi/tls/ca.pem"), Path.of("/etc/tsunagi/tls/other-ca.pem"));
    }

    @Test
    void aWrongClientAuthOrEnabledValueIsAConfigurationErrorNamingTheKey() {
        Properties p = new Properties();
        p.setProperty("tsunagi.tls.client-auth", "optional");
        assertThatThrownBy(() -> TlsSettings.fromProperties(p)).hasMessageContaining("tsunagi.tls.client-auth");

        Properties q = new Properties();
        q.setProperty("tsunagi.tls.enabled", "yes");
        assertThatThrownBy(() -> TlsSettings.fromProperties(q)).hasMessageContaining("tsunagi.tls.enabled");
    }

    @Test
    void tlsThatCannotWorkStopsTheStartInsteadOfServingWithoutIt() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("agencies.yaml"),
                Files.readString(Path.of("../conf/agencies.yaml")).replace("data/keys/", keys + "/"));
        AgencyDirectory agencies = AgencyDirectory.inConfDirectory(conf);

        assertThatThrownBy(() -> ServerTls.load(new TlsSettings(true, null, null, TlsSettings.ClientAuth.NONE, List.of()), keys, agencies))
                .hasMessageContaining("gateway.key.pem").hasMessageContaining("tsunagi.tls.key");

        TlsTestKeys material = new TlsTestKeys(dir.resolve("other"));
        Path onlyGateway = Files.createDirectories(dir.resolve("only-gateway"));
        Files.copy(material.keys.resolve("gateway.key.pem"), onlyGateway.resolve("gateway.key.pem"));
        Files.copy(material.keys.resolve("gateway.crt.pem"), onlyGateway.resolve("gateway.crt.pem"));
        assertThatThrownBy(() -> ServerTls.load(new TlsSettings(true, null, null, TlsSettings.ClientAuth.REQUIRE, List.of()),
                onlyGateway, agencies)).hasMessageContaining("tsunagi.tls.trust");

        assertThat(ServerTls.load(TlsSettings.DISABLED, keys, agencies)).isNull();
    }

    @Test
    void aClientCertificateIsMatchedToItsAgencyByKeyNotByName() throws Exception {
        TlsTestKeys material = new TlsTestKeys(dir);
        ClientCertificates clients = ClientCertificates.fromAgencies(material.agencies);

        assertThat(clients.agencyOf(ServerTls.readCertificates(material.certificate("tsunagi-tax")).get(0))).hasValue("tsunagi-tax");
        assertThat(clients.agencyOf(ServerTls.readCertificates(material.certificate("tsunagi-hub")).get(0))).hasValue("tsunagi-hub");
        assertThat(clients.agencyOf(ServerTls.readCertificates(material.certificate("fake-tax")).get(0))).isEmpty();
        assertThat(clients.agencyOf(ServerTls.readCertificates(material.certificate("stranger")).get(0))).isEmpty();
        // the gateway is not a client agency
        assertThat(clients.agencyOf(ServerTls.readCertificates(material.certificate("gateway")).get(0))).isEmpty();
    }
}
