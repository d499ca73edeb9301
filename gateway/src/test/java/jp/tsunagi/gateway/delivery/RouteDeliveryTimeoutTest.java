package jp.tsunagi.gateway.delivery;

import static jp.tsunagi.gateway.store.StoreFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagi.gateway.config.Connector;
import jp.tsunagi.gateway.connect.RouteTransport;
import jp.tsunagi.gateway.store.OutboxItem;
import jp.tsunagi.gateway.store.OutboxStatus;
import jp.tsunagi.gateway.store.StoreFixture;
import jp.tsunagi.gateway.store.TestDatabases;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Issue 15 item 8: a connector route that hangs must not hold its worker past the lease. */
class RouteDeliveryTimeoutTest {
    @Test
    void aHungRouteIsGivenUpWithinTheAttemptLimitRecordedAsRouteTimeoutAndRetried() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        RecordingDeliveryListener listener = new RecordingDeliveryListener();
        // attempt limit 1 s, lease 4 s: on the old code the first attempt hung until the lease ended
        DeliveryConfig config = DeliveryWorkerTest.config().withWorkers(1)
                .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(700), Duration.ofSeconds(4));
        RouteTransport transport = new RouteTransport(id -> Optional.of(new Connector("route", "direct:agency")),
                config.attemptLimit());
        try (DefaultCamelContext camel = new DefaultCamelContext();
             StoreFixture f = StoreFixture.fresh(TestDatabases.Kind.H2);
             DeliveryWorker worker = new DeliveryWorker(f.db.dataSource(), f.queue, transport, listener,
                     config.withStopTimeout(Duration.ZERO), Clock.systemUTC())) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // the first copy hangs (an SFTP server that accepts and never answers), later ones go through
                    from("direct:agency").process(e -> {
                        if (calls.incrementAndGet() == 1) {
                            released.await();
                        }
                    });
                }
            });
            camel.start();
            transport.routesStarted(camel.createProducerTemplate());
            OutboxItem item = f.queued("R-1", "tax-desk");
            long started = System.nanoTime();
            worker.start();
            worker.wakeUp();

            await(Duration.ofSeconds(15), "delivered", () -> f.status(item.id()) == OutboxStatus.DELIVERED);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            released.countDown();

            assertThat(listener.of("attempted", item.messageId())).extracting(RecordingDeliveryListener.Event::code)
                    .startsWith("route.timeout").contains("http.0");
            assertThat(took).as("retried after the time limit, not after the lease").isLessThan(config.lease());
        }
    }
}
