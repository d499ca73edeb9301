package jp.tsunagi.connectors.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Simulated agency systems speaking their own vocabulary over HTTP")
class NativeHttpAgencyTest {

    private static final Charset WINDOWS_31J = Charset.forName("windows-31j");
    private static final String WELFARE_REFERRAL = """
            <?xml version="1.0" encoding="UTF-8"?>
            <相談連絡票><氏名>山田　太郎</氏名><連絡内容>就労支援の依頼</連絡内容></相談連絡票>
            """;

    private final AtomicInteger receipts = new AtomicInteger();
    private NativeHttpAgency careVendor;
    private NativeHttpAgency welfare;

    /** The care-system vendor's REST API: a receipt number per accepted request. */
    private NativeHttpAgency startCareVendor() throws IOException {
        careVendor = NativeHttpAgency.start("houkatsu", 0, "/api/v1/referrals", request -> NativeHttpAgency.Reply.text(
                201, "application/json",
                "{\"result\":\"OK\",\"receiptNo\":\"R-%06d\"}".formatted(receipts.incrementAndGet()), UTF_8));
        return careVendor;
    }

    /** The welfare office's system: acknowledges in its own XML, in Windows-31J like many older systems. */
    private NativeHttpAgency startWelfare() throws IOException {
        welfare = NativeHttpAgency.start("fukushi", 0, "/seiho/renraku", request -> NativeHttpAgency.Reply.text(
                200, "application/xml",
                "<?xml version=\"1.0\" encoding=\"Windows-31J\"?><受付結果><結果>受理</結果><受付番号>"
                        + receipts.incrementAndGet() + "</受付番号></受付結果>", WINDOWS_31J));
        return welfare;
    }

    @AfterEach
    void stop() {
        if (careVendor != null) {
            careVendor.close();
        }
        if (welfare != null) {
            welfare.close();
        }
    }

    @Test
    void twoPostsWithTheSameIdempotencyKeyAreKeptOnceAndAnsweredAlike() throws IOException {
        startCareVendor();
        startWelfare();
        byte[] referral = WELFARE_REFERRAL.getBytes(UTF_8);
        Map<String, String> key = Map.of("Idempotency-Key", "7f6c3a52-0001");

        NativeHttpAgency.Reply first = welfare.send(careVendor.endpoint(), "application/xml", referral, key);
        NativeHttpAgency.Reply retry = welfare.send(careVendor.endpoint(), "application/xml", referral, key);

        assertThat(careVendor.received()).hasSize(1);
        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text(UTF_8)).isEqualTo(first.text(UTF_8)).contains("\"receiptNo\":\"R-000001\"");
    }

    @Test
    void keepsEachNewBodyWithItsContentTypeAndKey() throws IOException {
        startCareVendor();
        startWelfare();
        welfare.send(careVendor.endpoint(), "application/xml; charset=UTF-8", WELFARE_REFERRAL.getBytes(UTF_8),
                Map.of("Idempotency-Key", "k-1"));
        welfare.send(URI.create(careVendor.endpoint() + "/R-000001/status"), "application/json",
                "{\"status\":\"面談済\"}".getBytes(UTF_8));

        assertThat(careVendor.received()).satisfiesExactly(
                first -> {
                    assertThat(first.idempotencyKey()).isEqualTo("k-1");
                    assertThat(first.contentType()).isEqualTo("application/xml; charset=UTF-8");
                    assertThat(first.text(UTF_8)).isEqualTo(WELFARE_REFERRAL);
                    assertThat(first.target().getPath()).isEqualTo("/api/v1/referrals");
                },
                second -> {
                    assertThat(second.idempotencyKey()).isNull();
                    assertThat(second.contentType()).isEqualTo("application/json");
                    assertThat(second.text(UTF_8)).isEqualTo("{\"status\":\"面談済\"}");
                    assertThat(second.target().getPath()).isEqualTo("/api/v1/referrals/R-000001/status");
                });
    }

    @Test
    void theAnswerIsTheOneTheResponderMakesInTheSystemsOwnVocabulary() throws IOException {
        startCareVendor();
        startWelfare();

        NativeHttpAgency.Reply reply = careVendor.send(welfare.endpoint(), "text/csv; charset=Windows-31J",
                "氏名,状況\r\n山田太郎,面談済\r\n".getBytes(WINDOWS_31J));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).isEqualTo("application/xml; charset=windows-31j");
        assertThat(reply.text(WINDOWS_31J)).contains("<受付結果><結果>受理</結果><受付番号>1</受付番号></受付結果>");
        assertThat(welfare.received().get(0).text(WINDOWS_31J)).isEqualTo("氏名,状況\r\n山田太郎,面談済\r\n");
    }

    @Test
    void sendReachesTheOtherSystemAndReturnsItsAnswer() throws IOException {
        startCareVendor();
        startWelfare();

        NativeHttpAgency.Reply reply = welfare.send(careVendor.endpoint(), "application/xml",
                WELFARE_REFERRAL.getBytes(UTF_8));

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.contentType()).isEqualTo("application/json; charset=UTF-8");
        assertThat(reply.text(UTF_8)).isEqualTo("{\"result\":\"OK\",\"receiptNo\":\"R-000001\"}");
        assertThat(careVendor.received()).singleElement()
                .satisfies(copy -> assertThat(copy.text(UTF_8)).isEqualTo(WELFARE_REFERRAL));
    }

    @Test
    void aRequestAnsweredWithAnErrorIsNotKeptSoItsRetryIsProcessedAfresh() throws IOException {
        AtomicInteger attempts = new AtomicInteger();
        careVendor = NativeHttpAgency.start("houkatsu", 0, "/api", request -> attempts.incrementAndGet() == 1
                ? NativeHttpAgency.Reply.empty(503)
                : NativeHttpAgency.Reply.text(200, "application/json", "{\"result\":\"OK\"}", UTF_8));
        startWelfare();
        Map<String, String> key = Map.of("Idempotency-Key", "k-retry");

        assertThat(welfare.send(careVendor.endpoint(), "application/xml", new byte[] {'x'}, key).status()).isEqualTo(503);
        assertThat(careVendor.received()).isEmpty();
        assertThat(welfare.send(careVendor.endpoint(), "application/xml", new byte[] {'x'}, key).status()).isEqualTo(200);
        assertThat(careVendor.received()).hasSize(1);
    }

    @Test
    void aResponderThatFailsGivesA500AndNothingIsKept() throws IOException {
        careVendor = NativeHttpAgency.start("houkatsu", 0, "/api", request -> {
            throw new IllegalStateException("vendor bug");
        });
        startWelfare();

        assertThat(welfare.send(careVendor.endpoint(), "application/json", "{}".getBytes(UTF_8)).status()).isEqualTo(500);
        assertThat(careVendor.received()).isEmpty();
    }

    @Test
    void onlyPostIsAccepted() throws Exception {
        careVendor = NativeHttpAgency.start("houkatsu", 0, "/api", NativeHttpAgency.Reply.empty(204));

        HttpResponse<Void> get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(careVendor.endpoint()).GET().build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(careVendor.received()).isEmpty();
    }

    @Test
    void aBodyLargerThanTwoMebibytesIsRefusedRatherThanCut() throws IOException {
        startCareVendor();
        startWelfare();

        NativeHttpAgency.Reply reply = welfare.send(careVendor.endpoint(), "application/octet-stream",
                new byte[2 * 1024 * 1024 + 1]);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(careVendor.received()).isEmpty();
    }

    @Test
    void listensOnTheLoopbackAddressAtTheGivenPath() throws IOException {
        startCareVendor();

        assertThat(careVendor.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + careVendor.port() + "/api/v1/referrals"));
        assertThat(careVendor.agencyId()).isEqualTo("houkatsu");
    }
}
