package jp.tsunagi.gateway.connect;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import jp.tsunagi.gateway.config.Connector;
import jp.tsunagi.gateway.delivery.DeliveryResult;
import jp.tsunagi.gateway.delivery.Transport;
import jp.tsunagi.gateway.store.OutboxItem;

/**
 * Picks the transport by the recipient's connector kind in agencies.yaml: {@code http}/{@code https} posts the
 * message in the shared schema; {@code route} hands it to a Camel route that translates it into the agency's format.
 */
public final class ConnectorTransport implements Transport {
    private final Function<String, Optional<Connector>> connectors;
    private final Transport http;
    private final Transport route;

    public ConnectorTransport(Function<String, Optional<Connector>> connectors, Transport http, Transport route) {
        this.connectors = connectors;
        this.http = http;
        this.route = route;
    }

    @Override
    public DeliveryResult deliver(OutboxItem item) {
        String kind = connectors.apply(item.recipient()).map(Connector::kind).orElse("").toLowerCase(Locale.ROOT);
        return switch (kind) {
            case "route" -> route.deliver(item);
            case "" -> DeliveryResult.permanent("recipient.unknown");
            default -> http.deliver(item);
        };
    }
}
