package jp.tsunagi.gateway.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The console on the gateway's own HTTP server: every request under {@code /admin} goes to {@link Console}. Like the
 * API routes, no request header survives into the exchange (Camel 4.18.0 header-injection advisories): the few the
 * console needs are read first, then all are removed.
 */
public final class ConsoleRoutes extends RouteBuilder {
    private final Console console;

    public ConsoleRoutes(Console console) {
        this.console = console;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(e -> {
            Message out = e.getMessage();
            out.getHeaders().clear();
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 500);
            out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
            out.setBody("console error");
        });
        PlatformHttpEndpoint endpoint = getContext().getEndpoint("platform-http:/admin?matchOnUriPrefix=true",
                PlatformHttpEndpoint.class);
        endpoint.setHeaderFilterStrategy(new ResponseHeaders());
        from(endpoint).routeId("admin-console").process(this::handle);
    }

    /**
     * The platform-http server hands a form (application/x-www-form-urlencoded) over already parsed, as a map; a
     * name sent twice arrives as a list, of which the first value counts. Any other body: no form.
     */
    private static Map<String, String> form(Object body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object value = entry.getValue() instanceof List<?> list ? (list.isEmpty() ? null : list.get(0)) : entry.getValue();
                if (entry.getKey() != null && value != null) {
                    form.put(entry.getKey().toString(), value.toString());
                }
            }
        }
        return form;
    }

    /**
     * Which headers cross the boundary: every request header comes in (the few the console needs are read, then
     * all removed); going out, everything the console set (its security and cache headers included, which the
     * default HTTP strategy would drop) except Camel's own.
     */
    private static final class ResponseHeaders implements HeaderFilterStrategy {
        @Override
        public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
            return name.toLowerCase(Locale.ROOT).startsWith("camel");
        }

        @Override
        public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
            return false;
        }
    }

    private void handle(Exchange e) {
        Message in = e.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = in.getHeader(Exchange.HTTP_URI, String.class);
        String query = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        String cookies = in.getHeader("Cookie", String.class);
        Map<String, String> form = "POST".equals(method) ? form(in.getBody()) : Map.of();
        int q = path == null ? -1 : path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        in.getHeaders().clear();
        ConsoleResponse answer = console.handle(ConsoleRequest.of(method, path == null ? "/admin" : path, query, form, cookies));
        Message out = e.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, answer.status());
        out.setHeader(Exchange.CONTENT_TYPE, answer.contentType());
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            out.setHeader(header.getKey(), header.getValue());
        }
        out.setBody(answer.body());
    }
}
