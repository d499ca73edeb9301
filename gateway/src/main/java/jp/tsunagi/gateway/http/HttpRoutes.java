package jp.tsunagi.gateway.http;

import jp.tsunagi.gateway.config.ClientCertificates;
import jp.tsunagi.gateway.config.ClientCertificates.ClientAgency;
import jp.tsunagi.schema.TsunagiSchema;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;

/**
 * The HTTP interface as Camel routes. Camel is only the wiring here: each route strips what it must not trust and
 * hands the request to {@link Intake}.
 */
public final class HttpRoutes extends RouteBuilder {
    private final Intake intake;
    private final ClientCertificates clients;

    /** Without client certificates: the message signature alone says who sends. */
    public HttpRoutes(Intake intake) {
        this(intake, null);
    }

    /**
     * @param clients null when the server asks no client certificate; otherwise a client certificate presented over
     *                mutual TLS must carry an agency's registered key, and that agency is the client
     */
    public HttpRoutes(Intake intake, ClientCertificates clients) {
        this.intake = intake;
        this.clients = clients;
    }

    @Override
    public void configure() {
        // Anything unexpected becomes a 500 problem without a stack trace or message text.
        onException(Exception.class).handled(true).process(e -> answer(e,
                Problems.answer(500, "gateway.internal_error", "The gateway could not process the request.")));

        from("platform-http:/api/v1/messages?httpMethodRestrict=POST").routeId("intake-http")
                .process(e -> {
                    String contentType = e.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
                    ClientAgency client = clientAgency(e);
                    stripHeaders(e.getMessage());
                    answer(e, client.unknown() ? intake.refuseUnknownClient() : intake.submit(body(e), contentType, client.id()));
                });

        from("platform-http:/api/v1/referrals/{referralId}?httpMethodRestrict=GET").routeId("referral-status")
                .process(e -> {
                    String referralId = e.getMessage().getHeader("referralId", String.class);
                    String authorization = e.getMessage().getHeader("Authorization", String.class);
                    ClientAgency client = clientAgency(e);
                    stripHeaders(e.getMessage());
                    answer(e, client.unknown() ? Intake.unknownClient() : intake.referral(referralId, authorization));
                });

        from("platform-http:/api/v1/health?httpMethodRestrict=GET").routeId("health")
                .process(e -> answer(e, intake.health()));
        from("platform-http:/api/v1/health/ready?httpMethodRestrict=GET").routeId("health-ready")
                .process(e -> answer(e, intake.health()));
        // liveness checks nothing behind the process: a database outage is readiness's to report, not a restart's
        from("platform-http:/api/v1/health/live?httpMethodRestrict=GET").routeId("health-live")
                .process(e -> answer(e, new Answer(200, "application/json", "{\"status\":\"UP\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))));

        from("platform-http:/metrics?httpMethodRestrict=GET").routeId("metrics")
                .process(e -> answer(e, intake.metrics()));

        from("platform-http:/openapi.json?httpMethodRestrict=GET").routeId("openapi")
                .process(e -> answer(e, new Answer(200, "application/json",
                        TsunagiSchema.resourceBytes(TsunagiSchema.OPENAPI_RESOURCE))));
    }

    /** The agency of the request's client certificate; none without mutual TLS. */
    ClientAgency clientAgency(Exchange e) {
        return clients == null ? ClientAgency.NONE : clients.presentedBy(e);
    }

    private static byte[] body(Exchange e) {
        byte[] body = e.getMessage().getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }

    /**
     * Camel 4.18.0 has header-injection advisories fixed only in later releases: no inbound header named camel*
     * (any case) survives intake, and since an HTTP consumer echoes message headers into the response, no request
     * header survives at all.
     */
    static void stripHeaders(Message message) {
        message.getHeaders().keySet().removeIf(name -> true);
    }

    private static void answer(Exchange e, Answer answer) {
        Message out = e.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        out.setHeader(Exchange.CONTENT_TYPE, answer.contentType());
        out.setBody(answer.body());
    }
}
