package jp.tsunagi.gateway.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jp.tsunagi.gateway.intake.TestMessages;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.SigningKey;

/**
 * The load generator: signed referrals made before the clock starts (signing is the sender's cost, not the
 * gateway's), then posted by a fixed number of clients in a closed loop, each answer timed.
 */
final class Load {
    static final String SENDER = "tsunagi-tax";
    static final String RECIPIENT = "tsunagi-hub";

    /** @param id the referral id, what the recipient counts copies by */
    record Message(String id, byte[] body) {
    }

    /** What a batch of posts got back: the acknowledged message ids and the time to each answer. */
    record Result(Set<String> acknowledged, int refused, long[] acknowledgedNanos) {
        long percentileMillis(double p) {
            if (acknowledgedNanos.length == 0) {
                return 0;
            }
            long[] sorted = acknowledgedNanos.clone();
            Arrays.sort(sorted);
            return TimeUnit.NANOSECONDS.toMillis(sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Load() {
    }

    /** n F1 referrals (tax desk -> hub), each with its own message and referral id, signed by the tax desk. */
    static List<Message> signedReferrals(TestMessages samples, int n, int series) throws Exception {
        SigningKey key = samples.key(SENDER);
        List<Message> messages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String referralId = String.format("REF-%04d-%06d", 2026 + series, i);
            var message = samples.sample("F1", m -> m.put("referralId", referralId));
            messages.add(new Message(referralId,
                    MessageSignatures.sign(JsonCodec.write(message), key)));
        }
        return messages;
    }

    /** Posts the messages to the nodes in turn, from {@code clients} threads at once; returns when all are answered. */
    static Result post(List<Node> nodes, List<Message> messages, int clients) throws InterruptedException {
        return post(nodes, messages, clients, 0);
    }

    /**
     * The same at a fixed offered rate when {@code perSecond} is above 0: message i is due at start + i / perSecond,
     * whatever the answers to the others (an open loop), and its time to 202 counts from when it was due, so a client
     * that could not send it on time shows in the percentiles instead of lowering the load.
     */
    static Result post(List<Node> nodes, List<Message> messages, int clients, double perSecond) throws InterruptedException {
        long begin = System.nanoTime();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long[] nanos = new long[messages.size()];
        Arrays.fill(nanos, -1);
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        for (int t = 0; t < clients; t++) {
            threads.execute(() -> {
                for (int i = next.getAndIncrement(); i < messages.size(); i = next.getAndIncrement()) {
                    Message message = messages.get(i);
                    Node node = nodes.get(i % nodes.size());
                    long start = System.nanoTime();
                    if (perSecond > 0) {
                        long due = begin + (long) (i * 1e9 / perSecond);
                        long wait = due - start;
                        if (wait > 0) {
                            try {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                        start = due;
                    }
                    try {
                        int status = CLIENT.send(HttpRequest.newBuilder(node.uri("/api/v1/messages"))
                                .header("Content-Type", MessageFormat.JSON.mediaType())
                                .header("Idempotency-Key", message.id())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body())).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status == 202) {
                            nanos[i] = System.nanoTime() - start;
                            acknowledged.add(message.id());
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (java.io.IOException e) {
                        refused.incrementAndGet(); // a node that died: not acknowledged
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        threads.shutdown();
        threads.awaitTermination(1, TimeUnit.HOURS);
        return new Result(acknowledged, refused.get(), Arrays.stream(nanos).filter(n -> n >= 0).toArray());
    }
}
