package jp.tsunagi.connectors.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for an agency's system (模擬システム) that receives the gateway's copies over HTTP: it keeps what it
 * receives, answers 200, and, like a well-behaved idempotent receiver, processes a copy once per Idempotency-Key.
 * The demo runs one per agency; the per-agency simulators with native formats build on it.
 */
public final class SimulatedAgency implements AutoCloseable {
    /** One copy as the agency's system received it. */
    public record Received(String idempotencyKey, String contentType, byte[] body) {
    }

    private final String agencyId;
    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final Set<String> keys = ConcurrentHashMap.newKeySet();

    private SimulatedAgency(String agencyId, HttpServer server) {
        this.agencyId = agencyId;
        this.server = server;
    }

    /** Listens on 127.0.0.1:port for POSTs to path. */
    public static SimulatedAgency start(String agencyId, int port, String path) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        SimulatedAgency agency = new SimulatedAgency(agencyId, server);
        server.createContext(path, exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] body = in.readNBytes(2 * 1024 * 1024);
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                if (key == null || agency.keys.add(key)) {
                    agency.add(new Received(key, exchange.getRequestHeaders().getFirst("Content-Type"), body));
                }
                exchange.sendResponseHeaders(200, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        return agency;
    }

    private synchronized void add(Received copy) {
        received.add(copy);
    }

    public String agencyId() {
        return agencyId;
    }

    public synchronized List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
