package jp.tsunagi.gateway.referral;

/**
 * The ledger refuses a change: the caller's transaction rolls back and the submitter is answered {@code status} with
 * {@code code}. The message names no person (codes, statuses and ids only).
 */
public final class ReferralRefusedException extends RuntimeException {
    private final int status;
    private final String code;

    public ReferralRefusedException(int status, String code, String explanation) {
        super(explanation, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
