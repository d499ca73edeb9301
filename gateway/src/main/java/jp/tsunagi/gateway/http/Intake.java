package jp.tsunagi.gateway.http;

/** The gateway behind the HTTP interface (docs/contract.md section 3); plain Java, so it is tested without HTTP. */
public interface Intake {
    /** The code of a TLS client whose certificate carries no agency's registered key. */
    String UNKNOWN_CLIENT = "tls.client_unknown";
    String UNKNOWN_CLIENT_TITLE = "The client certificate does not carry the registered key of any agency.";

    /** {@code POST /api/v1/messages}. */
    Answer submit(byte[] body, String contentType, String clientAgency);

    /**
     * {@code POST /api/v1/messages} over a TLS client certificate that carries no agency's registered key: refused 401
     * {@link #UNKNOWN_CLIENT} before the body is read. The gateway audits it, like every refusal of a submission.
     */
    default Answer refuseUnknownClient() {
        return unknownClient();
    }

    /** The answer to a client certificate of no agency. */
    static Answer unknownClient() {
        return Problems.answer(401, UNKNOWN_CLIENT, UNKNOWN_CLIENT_TITLE);
    }

    /** {@code GET /api/v1/referrals/{referralId}}; the caller proves who it is with a signed token. */
    Answer referral(String referralId, String authorization);

    /** {@code GET /api/v1/health}. */
    Answer health();

    /** {@code GET /metrics}, Prometheus text format. */
    Answer metrics();
}
