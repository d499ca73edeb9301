package jp.tsunagi.gateway.connect;

import java.nio.charset.Charset;
import java.util.Map;
import jp.tsunagi.connectors.text.FixedWidthText;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tsunagi:} Camel component that routes in {@code conf/routes/} and the Kamelets of {@code conf/kamelets/}
 * use to reach the gateway:
 * <ul>
 *   <li>{@code tsunagi:intake?agency=ID&mappings=NAME[,NAME]&result=csv|json}: the body is a native document from
 *       that agency's system; every record is submitted as a message of the agency. The body becomes the result
 *       (CSV in {@code resultEncoding}, default Windows-31J, or JSON), {@code CamelFileName} the result file's name
 *       ({@code <input>.result.csv}), {@code CamelHttpResponseCode} 200 if no record was rejected, else 422.</li>
 *   <li>{@code tsunagi:render?mappings=NAME[,NAME]}: the body is a forwarded message; it becomes the native document
 *       of the mapping for its message type, with {@code CamelFileName} and {@code Content-Type} set.</li>
 * </ul>
 */
public final class TsunagiComponent extends DefaultComponent {
    private static final Logger LOG = LoggerFactory.getLogger(TsunagiComponent.class);
    private final ConnectorIntake intake;

    public TsunagiComponent(ConnectorIntake intake) {
        this.intake = intake;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String mappings = getAndRemoveParameter(parameters, "mappings", String.class);
        if (mappings == null || mappings.isBlank()) {
            throw new IllegalArgumentException(uri + ": mappings is required");
        }
        intake.mappings().named(mappings); // an unknown mapping fails the route at start, not the first message
        return switch (remaining) {
            case "intake" -> {
                String agency = getAndRemoveParameter(parameters, "agency", String.class);
                if (agency == null || agency.isBlank()) {
                    throw new IllegalArgumentException(uri + ": agency is required");
                }
                String result = getAndRemoveParameter(parameters, "result", String.class, "csv");
                Charset encoding = Charset.forName(getAndRemoveParameter(parameters, "resultEncoding", String.class,
                        FixedWidthText.WINDOWS_31J.name()));
                yield new ProducerEndpoint(uri, this, exchange -> intake(exchange, agency, mappings, result, encoding));
            }
            case "render" -> new ProducerEndpoint(uri, this, exchange -> render(exchange, mappings));
            default -> throw new IllegalArgumentException(uri + ": tsunagi:intake or tsunagi:render");
        };
    }

    private void intake(Exchange exchange, String agency, String mappings, String result, Charset encoding) {
        Message message = exchange.getMessage();
        byte[] document = message.getBody(byte[].class);
        String source = message.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        BatchResult outcome = intake.submit(agency, mappings, source, document == null ? new byte[0] : document);
        LOG.info("{}: {} record(s) accepted, {} duplicate(s), {} rejected", agency,
                outcome.count(BatchResult.Status.ACCEPTED), outcome.count(BatchResult.Status.DUPLICATE),
                outcome.count(BatchResult.Status.REJECTED));
        boolean json = result.equalsIgnoreCase("json");
        message.setBody(json ? outcome.toJson() : outcome.toCsv(encoding));
        message.setHeader(Exchange.FILE_NAME, (source == null ? "document" : source) + ".result." + (json ? "json" : "csv"));
        message.setHeader(Exchange.CONTENT_TYPE, json ? "application/json" : "text/csv; charset=" + encoding.name());
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, outcome.allAccepted() ? 200 : 422);
    }

    private void render(Exchange exchange, String mappings) {
        Message message = exchange.getMessage();
        NativeRenderer.Rendered rendered = NativeRenderer.render(intake.mappings().named(mappings), message.getBody(byte[].class));
        message.setBody(rendered.document());
        message.setHeader(Exchange.FILE_NAME, rendered.fileName());
        message.setHeader(Exchange.CONTENT_TYPE, rendered.mediaType());
    }

    /** An endpoint that only produces: it runs one function on each exchange sent to it. */
    private static final class ProducerEndpoint extends DefaultEndpoint {
        private final Processor work;

        ProducerEndpoint(String uri, TsunagiComponent component, Processor work) {
            super(uri, component);
            this.work = work;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) throws Exception {
                    work.process(exchange);
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("tsunagi: endpoints are used with to:, not from:");
        }
    }
}
