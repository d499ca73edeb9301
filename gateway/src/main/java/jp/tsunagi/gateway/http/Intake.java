package jp.tsunagi.gateway.http;

/** The gateway behind the HTTP interface (docs/contract.md section 3); plain Java, so it is tested without HTTP. */
public interface Intake {
    /** {@code POST /api/v1/messages}. */
    Answer submit(byte[] body, String contentType, String clientAgency);

    /** {@code GET /api/v1/referrals/{referralId}}; the caller proves who it is with a signed token. */
    Answer referral(String referralId, String authorization);

    /** {@code GET /api/v1/health}. */
    Answer health();

    /** {@code GET /metrics}, Prometheus text format. */
    Answer metrics();
}
