package jp.tsunagi.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import jp.tsunagi.gateway.config.Connector;
import jp.tsunagi.gateway.store.OutboxItem;
import jp.tsunagi.gateway.store.StoreFixture;
import org.junit.jupiter.api.Test;

class HttpTransportTest {
    private static final OutboxItem ITEM = new OutboxItem(7, "6f1c2f0e-0000-4000-8000-000000000001", "orig", "welfare-b",
            "R-1", "application/xml", StoreFixture.document("x"), jp.tsunagi.gateway.store.OutboxStatus.PENDING, 0,
            Instant.now(), "w", Instant.now().plusSeconds(60), null, Instant.now(), null, null, 1, null);

    @Test
    void postsTheDocumentWithItsMediaTypeAndIdempotencyKey() throws Exception {
        try (TestRecipient recipient = TestRecipient.start()) {
            DeliveryResult result = transport(recipient, Duration.ofSeconds(5)).deliver(ITEM);

            assertThat(result).isEqualTo(DeliveryResult.delivered(200));
            assertThat(recipient.arrivals()).singleElement().satisfies(a -> {
                assertThat(a.idempotencyKey()).isEqualTo(ITEM.messageId());
                assertThat(a.contentType()).isEqualTo("application/xml");
                assertThat(a.body()).isEqualTo(ITEM.payload());
            });
        }
    }

    @Test
    void statusesAreSortedIntoDeliveredRetryAndPermanent() {
        assertThat(HttpTransport.classify(200).outcome()).isEqualTo(DeliveryResult.Outcome.DELIVERED);
        assertThat(HttpTransport.classify(204).outcome()).isEqualTo(DeliveryResult.Outcome.DELIVERED);
        for (int retry : new int[] {408, 429, 500, 502, 503, 504}) {
            assertThat(HttpTransport.classify(retry)).isEqualTo(DeliveryResult.retry("http." + retry, retry));
        }
        for (int permanent : new int[] {301, 302, 400, 401, 403, 404, 409, 413, 415, 422}) {
            assertThat(HttpTransport.classify(permanent)).isEqualTo(DeliveryResult.permanent("http." + permanent, permanent));
        }
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        try (TestRecipient recipient = TestRecipient.start().answering(302)) {
            assertThat(transport(recipient, Duration.ofSeconds(5)).deliver(ITEM).code()).isEqualTo("http.302");
            assertThat(recipient.arrivals()).hasSize(1);
        }
    }

    @Test
    void aSlowRecipientTimesOutAndIsRetried() throws Exception {
        try (TestRecipient recipient = TestRecipient.start().slow(Duration.ofSeconds(2))) {
            long start = System.nanoTime();
            DeliveryResult result = transport(recipient, Duration.ofMillis(200)).deliver(ITEM);
            assertThat(result).isEqualTo(DeliveryResult.retry("http.timeout"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aRecipientThatIsDownIsRetried() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port + "/tsunagi/messages";
        HttpTransport transport = new HttpTransport(id -> Optional.of(new Connector("http", endpoint)),
                HttpTransport.defaultClient(Duration.ofSeconds(3)), Duration.ofSeconds(3));
        DeliveryResult result = transport.deliver(ITEM);
        assertThat(result.outcome()).isEqualTo(DeliveryResult.Outcome.RETRY);
        // refused at once, or (on a very loaded machine) not even refused within the connect timeout
        assertThat(result.code()).isIn("http.connect-failed", "http.connect-timeout");
    }

    @Test
    void anUnknownRecipientOrConnectorIsPermanent() {
        java.net.http.HttpClient client = HttpTransport.defaultClient(Duration.ofSeconds(1));
        assertThat(new HttpTransport(id -> Optional.empty(), client, Duration.ofSeconds(1)).deliver(ITEM))
                .isEqualTo(DeliveryResult.permanent("recipient.unknown"));
        assertThat(new HttpTransport(id -> Optional.of(new Connector("sftp", "sftp://x/in")), client,
                Duration.ofSeconds(1)).deliver(ITEM)).isEqualTo(DeliveryResult.permanent("connector.unsupported"));
        assertThat(new HttpTransport(id -> Optional.of(new Connector("http", "file:///etc/passwd")), client,
                Duration.ofSeconds(1)).deliver(ITEM)).isEqualTo(DeliveryResult.permanent("connector.invalid-endpoint"));
        assertThat(new HttpTransport(id -> Optional.of(new Connector("http", "http://bad host/")), client,
                Duration.ofSeconds(1)).deliver(ITEM)).isEqualTo(DeliveryResult.permanent("connector.invalid-endpoint"));
    }

    private static HttpTransport transport(TestRecipient recipient, Duration requestTimeout) {
        return new HttpTransport(recipient.connectors(), HttpTransport.defaultClient(Duration.ofSeconds(1)),
                requestTimeout);
    }
}
