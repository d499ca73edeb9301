package jp.tsunagi.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import jp.tsunagi.gateway.config.KeyFileCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jp.tsunagi.gateway.connect.ConnectorReload;
import jp.tsunagi.gateway.connect.ConnectorRouteHealth;
import jp.tsunagi.schema.codec.JsonCodec;

/**
 * The intake, with the configuration's state in its health answer:
 * <ul>
 *   <li>{@code checks.keys}: DOWN, and the gateway not ready (503), while a key file of agencies.yaml is missing,
 *       unreadable or does not match the private key or certificate of the key directory ({@link KeyFileCheck};
 *       {@code tsunagi config check} names them with file and line, the log too);</li>
 *   <li>{@code checks.configReload}: {@code {"status":"UP","changes":n}} while the running routes and mappings are
 *       those of the files, or {@code "REFUSED"} with {@code error} (file, line, route id: never a message's content)
 *       and {@code at} when the last change was not applied. A refused change does not make the gateway DOWN: the
 *       previous routes still run.</li>
 *   <li>{@code connectors}: each connector route, {@code UP}, or {@code DOWN} with the kind of its last failed poll,
 *       as Camel's health checks see it ({@link ConnectorRouteHealth}): one agency's system being down does not make
 *       the gateway unready.</li>
 * </ul>
 */
final class ConfigurationInHealth implements Intake {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationInHealth.class);

    private final Intake intake;
    private final Supplier<ConnectorReload> reload;
    private final Supplier<List<String>> keyProblems;
    private volatile List<String> loggedKeyProblems = List.of();

    /** @param keyProblems null when the keys are not checked here (no connector configuration) */
    ConfigurationInHealth(Intake intake, Supplier<ConnectorReload> reload, Supplier<List<String>> keyProblems) {
        this.intake = intake;
        this.reload = reload;
        this.keyProblems = keyProblems;
    }

    @Override
    public Answer submit(byte[] body, String contentType, String clientAgency) {
        return intake.submit(body, contentType, clientAgency);
    }

    @Override
    public Answer refuseUnknownClient() {
        return intake.refuseUnknownClient();
    }

    @Override
    public Answer referral(String referralId, String authorization) {
        return intake.referral(referralId, authorization);
    }

    @Override
    public Answer metrics() {
        return intake.metrics();
    }

    @Override
    public Answer health() {
        Answer health = intake.health();
        ConnectorReload running = reload.get();
        ConnectorReload.Status status = running == null ? null : running.status();
        List<String> keys = keyProblems == null ? List.of() : keyProblems.get();
        if (status == null && keys.isEmpty()) {
            return health;
        }
        JsonNode tree;
        try {
            tree = JsonCodec.mapper().readTree(health.body());
        } catch (IOException e) {
            return health;
        }
        if (!(tree.get("checks") instanceof ObjectNode checks)) {
            return health;
        }
        int code = health.status();
        if (!keys.isEmpty()) {
            if (!keys.equals(loggedKeyProblems)) {
                LOG.warn("not ready: {} key file problem(s): {}", keys.size(), String.join("; ", keys));
            }
            loggedKeyProblems = keys;
            checks.putObject("keys").put("status", "DOWN").put("problems", keys.size())
                    .put("detail", "a key file is missing, unreadable or mismatched: tsunagi config check names it");
            ((ObjectNode) tree).put("status", "DOWN");
            code = 503;
        }
        if (status == null) {
            return new Answer(code, health.contentType(), JsonCodec.write(tree));
        }
        ObjectNode check = checks.putObject("configReload").put("status", status.error() == null ? "UP" : "REFUSED")
                .put("changes", status.changes());
        if (status.at() != null) {
            check.put("at", status.at().toString());
        }
        if (status.error() != null) {
            check.put("error", status.error());
        }
        ArrayNode connectors = ((ObjectNode) tree).putArray("connectors");
        for (ConnectorRouteHealth.State route : running.health().states()) {
            ObjectNode state = connectors.addObject().put("route", route.route()).put("status", route.status());
            if (route.failure() != null) {
                state.put("failure", route.failure());
            }
        }
        return new Answer(code, health.contentType(), JsonCodec.write(tree));
    }
}
