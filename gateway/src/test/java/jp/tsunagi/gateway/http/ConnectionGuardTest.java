package jp.tsunagi.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 15 item 7: connections that trickle headers, or too many from one client, are closed. */
class ConnectionGuardTest {
    private static final Intake HEALTHY = new Intake() {
        @Override
        public Answer submit(byte[] body, String contentType, String clientAgency) {
            return Answer.of(202, "application/json", "{}");
        }

        @Override
        public Answer referral(String referralId, String authorization) {
            return Answer.of(404, "application/json", "{}");
        }

        @Override
        public Answer health() {
            return Answer.of(200, "application/json", "{\"status\":\"UP\"}");
        }

        @Override
        public Answer metrics() {
            return Answer.of(200, "text/plain", "");
        }
    };

    @Test
    void aConnectionWhoseHeadersDoNotArriveInTimeIsClosedAndAPromptOneIsAnswered() throws Exception {
        try (GatewayServer server = start(new ConnectionGuard(Duration.ofSeconds(60), Duration.ofMillis(500), 100));
             Socket slow = new Socket("127.0.0.1", server.port())) {
            slow.getOutputStream().write("POST /api/v1/messages HTTP/1.1\r\nHost: gateway\r\nX-Trickle: a".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            // without a header timeout the server waits for the rest of the headers as long as the client likes
            assertThat(closedWithin(slow, Duration.ofSeconds(20))).as("closed by the server").isTrue();
            assertThat(get(server.port())).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aClientBeyondItsConnectionCapIsRefusedWhileItsOtherConnectionsAreServed() throws Exception {
        try (GatewayServer server = start(new ConnectionGuard(Duration.ofSeconds(60), Duration.ofSeconds(30), 3))) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(new Socket("127.0.0.1", server.port()));
                }
                try (Socket fourth = new Socket("127.0.0.1", server.port())) {
                    assertThat(closedWithin(fourth, Duration.ofSeconds(20))).as("the fourth connection closed").isTrue();
                }
                assertThat(request(held.get(0))).startsWith("HTTP/1.1 200");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private static GatewayServer start(ConnectionGuard guard) throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return GatewayServer.start(HEALTHY, "127.0.0.1", port, 1024 * 1024, null, null, guard);
    }

    /** Whether the server closes the connection (end of stream or reset) before the time is up. */
    private static boolean closedWithin(Socket socket, Duration time) throws IOException {
        socket.setSoTimeout((int) time.toMillis());
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String get(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return request(socket);
        }
    }

    private static String request(Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
        socket.getOutputStream().write("GET /api/v1/health HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        return new String(in.readNBytes(15), StandardCharsets.US_ASCII);
    }
}
