package jp.tsunagi.gateway.delivery;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import jp.tsunagi.gateway.config.AgencyDirectory;
import jp.tsunagi.gateway.config.Connector;
import jp.tsunagi.gateway.store.OutboxItem;

/**
 * Delivers over HTTP: POSTs the forwarded document to the endpoint of the recipient's connector in
 * {@code agencies.yaml}, with its Content-Type and {@code Idempotency-Key: <forwarded messageId>}, so the recipient's
 * idempotent receiver drops a copy sent twice (after a crash between sending and recording).
 *
 * <p>2xx: delivered. 408, 429, 5xx, timeouts and connection failures: retry. Any other answer (other 4xx, and 1xx/3xx:
 * redirects are not followed, personal data goes only where it is registered to go): dead letter at once, as
 * retrying cannot change it. The recipient's answer body is discarded unread.
 */
public final class HttpTransport implements Transport {
    /** The header the recipient dedups by. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Function<String, Optional<Connector>> connectors;
    private final HttpClient client;
    private final Duration requestTimeout;

    /**
     * @param connectors     the connector of an agency id (empty if unknown)
     * @param client         the client to send with (its SSL context carries TLS / mutual TLS settings)
     * @param requestTimeout how long to wait for the whole answer
     */
    public HttpTransport(Function<String, Optional<Connector>> connectors, HttpClient client, Duration requestTimeout) {
        this.connectors = Objects.requireNonNull(connectors, "connectors");
        this.client = Objects.requireNonNull(client, "client");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** Over plain HTTP or default TLS, to the connectors registered in the directory. */
    public static HttpTransport create(AgencyDirectory directory, DeliveryConfig config) {
        return new HttpTransport(id -> directory.agency(id).map(a -> a.connector()),
                defaultClient(config.connectTimeout()), config.requestTimeout());
    }

    /** HTTP/1.1 (what agency systems speak; no h2c upgrade surprises), no redirects, the given connect timeout. */
    public static HttpClient defaultClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    @Override
    public DeliveryResult deliver(OutboxItem item) {
        Optional<Connector> connector = connectors.apply(item.recipient());
        if (connector.isEmpty()) {
            return DeliveryResult.permanent("recipient.unknown");
        }
        String kind = connector.get().kind() == null ? "" : connector.get().kind().toLowerCase(Locale.ROOT);
        if (!kind.equals("http") && !kind.equals("https")) {
            return DeliveryResult.permanent("connector.unsupported");
        }
        HttpRequest request;
        try {
            URI endpoint = URI.create(connector.get().endpoint());
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return DeliveryResult.permanent("connector.invalid-endpoint");
            }
            request = HttpRequest.newBuilder(endpoint)
                    .timeout(requestTimeout)
                    .header("Content-Type", item.mediaType())
                    .header(IDEMPOTENCY_KEY, item.messageId())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(item.payload()))
                    .build();
        } catch (IllegalArgumentException | NullPointerException e) {
            return DeliveryResult.permanent("connector.invalid-endpoint");
        }
        try {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            return classify(response.statusCode());
        } catch (HttpConnectTimeoutException e) {
            return DeliveryResult.retry("http.connect-timeout");
        } catch (HttpTimeoutException e) {
            return DeliveryResult.retry("http.timeout");
        } catch (ConnectException e) {
            return DeliveryResult.retry("http.connect-failed");
        } catch (IOException e) {
            return DeliveryResult.retry("http.io-error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.retry("delivery.interrupted");
        }
    }

    /** The outcome an HTTP status means (code {@code http.<status>}). */
    public static DeliveryResult classify(int status) {
        String code = "http." + status;
        if (status >= 200 && status < 300) {
            return DeliveryResult.delivered(status);
        }
        if (status == 408 || status == 429 || status >= 500 && status < 600) {
            return DeliveryResult.retry(code, status);
        }
        return DeliveryResult.permanent(code, status);
    }
}
