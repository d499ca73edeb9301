package jp.tsunagi.gateway.connect;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import jp.tsunagi.gateway.settings.Settings;
import jp.tsunagi.gateway.settings.SettingsFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may POST to a connector HTTP source when there is no mutual TLS. The connector signs what it receives as the
 * agency, so by default nobody may: only the networks declared in {@code tsunagi.connectors.http.allowed-networks},
 * or anyone after the explicit, logged opt-out {@code tsunagi.connectors.http.allow-unauthenticated=true} (the demo).
 */
public record ConnectorHttpClients(List<Network> allowed, boolean unauthenticated) {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorHttpClients.class);

    /** Nobody without mutual TLS: the default. */
    public static final ConnectorHttpClients NONE = new ConnectorHttpClients(List.of(), false);

    /** An address with a prefix length: {@code 10.20.0.0/16}, {@code 127.0.0.1} (a /32), {@code ::1}. */
    public record Network(byte[] address, int prefix) {
        static Network parse(String text) {
            String[] parts = text.trim().split("/", 2);
            try {
                if (!parts[0].matches("[0-9A-Fa-f:.]+")) { // an address, never a name to resolve
                    throw new UnknownHostException();
                }
                byte[] address = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length == 1 ? address.length * 8 : Integer.parseInt(parts[1]);
                if (prefix < 0 || prefix > address.length * 8) {
                    throw new NumberFormatException();
                }
                return new Network(address, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException(Settings.CONNECTORS_HTTP_ALLOWED_NETWORKS.key() + ": \"" + text.trim()
                        + "\" is not an address or a network such as 10.20.0.0/16");
            }
        }

        boolean contains(byte[] other) {
            if (other.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((address[bit / 8] & mask) != (other[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    public static ConnectorHttpClients from(SettingsFile file) {
        String networks = file.get(Settings.CONNECTORS_HTTP_ALLOWED_NETWORKS);
        List<Network> allowed = new ArrayList<>();
        if (networks != null) {
            for (String network : networks.split(",")) {
                if (!network.isBlank()) {
                    allowed.add(Network.parse(network));
                }
            }
        }
        boolean open = file.get(Settings.CONNECTORS_HTTP_ALLOW_UNAUTHENTICATED);
        if (open) {
            LOG.warn("connector HTTP sources accept documents from anyone who reaches the port, without mutual TLS or an "
                    + "allowed network ({}=true): the connector signs them as the agency. For demonstrations only.",
                    Settings.CONNECTORS_HTTP_ALLOW_UNAUTHENTICATED.key());
        }
        return new ConnectorHttpClients(List.copyOf(allowed), open);
    }

    /** Whether a client at this address may post without a client certificate. */
    public boolean allows(String clientAddress) {
        if (unauthenticated) {
            return true;
        }
        if (clientAddress == null) {
            return false;
        }
        try {
            if (!clientAddress.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+")) {
                return false;
            }
            byte[] address = InetAddress.getByName(clientAddress).getAddress();
            return allowed.stream().anyMatch(n -> n.contains(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
