package jp.tsunagi.gateway.bench;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * The baseline: a bare Camel platform-http -> http pass-through (the same Camel, the same Vert.x server as the
 * gateway), run as its own process like the gateway. It forwards each POSTed body to the recipient and answers 202
 * once the recipient has it: no signature, no validation, no database.
 * Arguments: PORT TARGET_URL.
 */
public final class PassThrough {
    private PassThrough() {
    }

    public static void main(String[] args) throws Exception {
        String target = args[1];
        Main main = new Main();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/api/v1/messages?httpMethodRestrict=POST")
                        .removeHeaders("CamelHttp*")
                        .to(target + "?bridgeEndpoint=true")
                        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                        .setBody(constant(""));
                from("platform-http:/api/v1/health?httpMethodRestrict=GET").setBody(constant("{\"status\":\"UP\"}"));
            }
        });
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", args[0]);
        main.run();
    }
}
