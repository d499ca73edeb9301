package jp.tsunagi.gateway.connect;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import jp.tsunagi.connectors.text.FixedWidthText;
import jp.tsunagi.gateway.config.ClientCertificates;
import jp.tsunagi.gateway.intake.StoreUnavailableException;
import jp.tsunagi.gateway.store.StoreFailures;
import jp.tsunagi.gateway.intake.Submission.StoreUnavailable;
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
 *   <li>{@code tsunagi:client}: first step of an HTTP source; with mutual TLS, records the agency of the client
 *       certificate, and {@code tsunagi:intake} then takes the document only if it is the agency's own (else 401
 *       {@code tls.client_not_sender}, {@code tls.client_required} or {@code tls.client_unknown}).</li>
 * </ul>
 */
public final class TsunagiComponent extends DefaultComponent {
    private static final Logger LOG = LoggerFactory.getLogger(TsunagiComponent.class);
    /** Exchange property set by {@code tsunagi:client}: the TLS client's agency id, or one of the two markers. */
    static final String CLIENT = "TsunagiClientAgency";
    /** Exchange property set by {@code tsunagi:client}: the document came over HTTP (answer, do not fail, on a store outage). */
    static final String HTTP = "TsunagiHttpSource";
    private static final String NO_CLIENT = "-";
    private static final String CONNECTOR_ERROR = "connector.error";
    private static final List<String> FILE_SOURCES = List.of("kamelet:tsunagi-folder-source", "kamelet:tsunagi-sftp-source",
            "file:", "sftp:", "ftp:", "ftps:");
    private static final String UNKNOWN_CLIENT = "?";
    private static final String NOT_ALLOWED = "connector.client_not_allowed";

    /** Exchange property set by {@code tsunagi:client}: the address the HTTP client connected from. */
    static final String CLIENT_ADDRESS = "TsunagiClientAddress";

    private final ConnectorIntake intake;
    private final ClientCertificates clients;
    private final ConnectorHttpClients networks;

    /** Without mutual TLS, nobody may post to an HTTP source (see {@link ConnectorHttpClients}). */
    public TsunagiComponent(ConnectorIntake intake, ClientCertificates clients) {
        this(intake, clients, ConnectorHttpClients.NONE);
    }

    /**
     * @param clients  with mutual TLS, who each client certificate is; null without
     * @param networks without mutual TLS, who may post to an HTTP source: allowed networks, or the logged opt-out
     */
    public TsunagiComponent(ConnectorIntake intake, ClientCertificates clients, ConnectorHttpClients networks) {
        this.intake = intake;
        this.clients = clients;
        this.networks = networks;
    }

    /** The intake the endpoints submit to (its mappings are swapped on a reload). */
    public ConnectorIntake intake() {
        return intake;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining.equals("client")) {
            return new ProducerEndpoint(uri, this, this::recordClient);
        }
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
            default -> throw new IllegalArgumentException(uri + ": tsunagi:intake, tsunagi:render or tsunagi:client");
        };
    }

    private void intake(Exchange exchange, String agency, String mappings, String result, Charset encoding) {
        Message message = exchange.getMessage();
        byte[] document = message.getBody(byte[].class);
        String source = message.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        boolean http = Boolean.TRUE.equals(exchange.getProperty(HTTP, Boolean.class)) || fromUri(exchange).startsWith("platform-http:");
        String refused = postedByAnotherClient(exchange, agency);
        BatchResult outcome;
        try {
            outcome = refused != null
                    ? intake.refuse(agency, source, 401, refused, refused.equals(NOT_ALLOWED)
                            ? "post with the agency's client certificate (mutual TLS) or from an allowed network"
                            : "the client certificate is not that of " + agency)
                    : intake.submit(agency, mappings, source, document == null ? new byte[0] : document);
        } catch (RuntimeException e) {
            if (!http) {
                throw e; // the route fails: the file goes to failed/ with no result file, to be dropped again
            }
            // an HTTP client gets a result with a code, never Camel's default answer (a stack trace)
            boolean storeDown = e instanceof StoreUnavailableException;
            LOG.warn("{}: a posted document could not be processed ({})", agency, StoreFailures.describe(e));
            refused = storeDown ? StoreUnavailable.REJECTION.code() : CONNECTOR_ERROR;
            outcome = new BatchResult(source, List.of(new BatchResult.Line(0, BatchResult.Status.REJECTED, null, null,
                    refused, storeDown ? "the durable store is unavailable: post the document again later"
                            : "the gateway could not process the document; its administrators see why in the log")));
        }
        LOG.info("{}: {} record(s) accepted, {} duplicate(s), {} rejected", agency,
                outcome.count(BatchResult.Status.ACCEPTED), outcome.count(BatchResult.Status.DUPLICATE),
                outcome.count(BatchResult.Status.REJECTED));
        boolean json = result.equalsIgnoreCase("json");
        message.setBody(json ? outcome.toJson() : outcome.toCsv(encoding));
        message.setHeader(Exchange.FILE_NAME, (source == null ? "document" : source) + ".result." + (json ? "json" : "csv"));
        message.setHeader(Exchange.CONTENT_TYPE, json ? "application/json" : "text/csv; charset=" + encoding.name());
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, refused == null ? (outcome.allAccepted() ? 200 : 422)
                : refused.equals(StoreUnavailable.REJECTION.code()) ? 503 : refused.equals(CONNECTOR_ERROR) ? 500 : 401);
    }

    /**
     * {@code tsunagi:client}, the first step of the HTTP source Kamelet: marks the exchange as HTTP (a store outage is
     * answered 503 rather than failing the route) and, with mutual TLS, records who the TLS client is, read from the
     * handshake while the request is still at hand (the Kamelet hands on a copy of the message), in exchange
     * properties, which no request can set.
     */
    private void recordClient(Exchange exchange) {
        exchange.setProperty(HTTP, true);
        if (exchange.getMessage() instanceof org.apache.camel.component.platform.http.vertx.HttpMessage http && http.getRequest() != null
                && http.getRequest().remoteAddress() != null) {
            exchange.setProperty(CLIENT_ADDRESS, http.getRequest().remoteAddress().hostAddress());
        }
        if (clients == null) {
            return;
        }
        ClientCertificates.ClientAgency client;
        try {
            client = clients.presentedBy(exchange);
        } catch (IllegalStateException sessionNotVisible) {
            client = ClientCertificates.ClientAgency.NONE; // fail closed: no certificate seen, none proven
        }
        exchange.setProperty(CLIENT, client.unknown() ? UNKNOWN_CLIENT : client.id() == null ? NO_CLIENT : client.id());
    }

    /**
     * With mutual TLS, a document POSTed to an HTTP source must come with the agency's own client certificate: the
     * connector signs it as the agency, so the certificate is what proves the agency sent it. Files (folder, SFTP)
     * are vouched for by their transport. Returns the refusal code, or null.
     */
    private String postedByAnotherClient(Exchange exchange, String agency) {
        if (clients == null) {
            // without mutual TLS a file source vouches by its transport; an HTTP one only from an allowed network
            boolean http = Boolean.TRUE.equals(exchange.getProperty(HTTP, Boolean.class)) || fromUri(exchange).startsWith("platform-http:");
            if (!http || networks.allows(exchange.getProperty(CLIENT_ADDRESS, String.class))) {
                return null;
            }
            LOG.warn("{}: a document POSTed from a network not allowed was refused ({} lists none that holds it)",
                    agency, jp.tsunagi.gateway.settings.Settings.CONNECTORS_HTTP_ALLOWED_NETWORKS.key());
            return NOT_ALLOWED;
        }
        String client = exchange.getProperty(CLIENT, String.class);
        if (client == null) {
            // fail closed: a source that did not record its client (its own Kamelet, platform-http used directly) is
            // trusted only if it is one of the file sources, which vouch by their transport
            return FILE_SOURCES.stream().anyMatch(fromUri(exchange)::startsWith) ? null : "tls.client_required";
        }
        return switch (client) {
            case UNKNOWN_CLIENT -> "tls.client_unknown";
            case NO_CLIENT -> "tls.client_required";
            default -> client.equals(agency) ? null : "tls.client_not_sender";
        };
    }

    /** The URI of the endpoint the exchange came from, {@code scheme:path?query} ({@code kamelet:...} for a Kamelet). */
    private static String fromUri(Exchange exchange) {
        return exchange.getFromEndpoint() == null ? "" : exchange.getFromEndpoint().getEndpointUri().replaceFirst("^([a-z-]+)://", "$1:");
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
