package jp.tsunagi.gateway.connect;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import jp.tsunagi.connectors.mapping.Mapping;
import jp.tsunagi.gateway.config.Connector;
import jp.tsunagi.gateway.delivery.DeliveryResult;
import jp.tsunagi.gateway.delivery.HttpTransport;
import jp.tsunagi.gateway.delivery.Transport;
import jp.tsunagi.gateway.store.OutboxItem;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Delivers through a Camel route of {@code conf/routes/} (connector {@code kind: route}, {@code endpoint:
 * direct:<name>}): the route translates the copy with {@code tsunagi:render} and carries it over the agency's own
 * transport (a folder, SFTP, HTTP). The copy counts as delivered when the route has finished without an error; an
 * error is retried with backoff, except a message the mapping cannot write, which goes to the dead letters at once.
 *
 * <p>A route has a time limit (connect-timeout + request-timeout, shorter than the lease): a route still running then
 * is a retryable {@code route.timeout}, recorded and retried like any failure, and the delivery worker is free again.
 * Without it a hung route kept its worker and outlasted the lease, so another worker claimed the same row. The late
 * route may still finish; the copy then arrives twice, and the agency dedups it by its message id as after a crash.
 */
public final class RouteTransport implements Transport {
    /** Headers the route receives with the forwarded copy. */
    public static final String MESSAGE_ID = "TsunagiMessageId";
    public static final String RECIPIENT = "TsunagiRecipient";

    private final Function<String, Optional<Connector>> connectors;
    private final Duration timeLimit;
    private final AtomicReference<ProducerTemplate> producer = new AtomicReference<>();

    /** @param timeLimit how long one delivery may take, shorter than the lease ({@code DeliveryConfig#attemptLimit}) */
    public RouteTransport(Function<String, Optional<Connector>> connectors, Duration timeLimit) {
        this.connectors = connectors;
        this.timeLimit = timeLimit;
    }

    /** Routes start after the delivery workers: until then, copies for routes wait. */
    public void routesStarted(ProducerTemplate template) {
        producer.set(template);
    }

    @Override
    public DeliveryResult deliver(OutboxItem item) {
        ProducerTemplate template = producer.get();
        if (template == null) {
            return DeliveryResult.retry("route.not_started");
        }
        Optional<Connector> connector = connectors.apply(item.recipient());
        if (connector.isEmpty() || connector.get().endpoint() == null) {
            return DeliveryResult.permanent("recipient.unknown");
        }
        CompletableFuture<Exchange> sending = template.asyncSend(connector.get().endpoint(), exchange -> {
            exchange.getIn().setBody(item.payload());
            exchange.getIn().setHeaders(Map.of(
                    HttpTransport.IDEMPOTENCY_KEY, item.messageId(),
                    MESSAGE_ID, item.messageId(),
                    RECIPIENT, item.recipient(),
                    Exchange.CONTENT_TYPE, item.mediaType()));
        });
        Exchange done;
        try {
            done = sending.get(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sending.cancel(true);
            return DeliveryResult.retry("route.timeout");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.retry("route.interrupted");
        } catch (ExecutionException e) {
            return DeliveryResult.retry("route.failed");
        }
        Exception failure = done.getException();
        if (failure == null) {
            return DeliveryResult.delivered(0);
        }
        Mapping.RecordException unwritable = cause(failure, Mapping.RecordException.class);
        if (unwritable != null) {
            return DeliveryResult.permanent(unwritable.problem().code());
        }
        if (cause(failure, org.apache.camel.NoSuchEndpointException.class) != null
                || cause(failure, org.apache.camel.ResolveEndpointFailedException.class) != null) {
            return DeliveryResult.permanent("route.no_endpoint");
        }
        return DeliveryResult.retry("route.failed");
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
