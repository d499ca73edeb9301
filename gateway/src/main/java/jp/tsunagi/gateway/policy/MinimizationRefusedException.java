package jp.tsunagi.gateway.policy;

/**
 * The minimizer cannot produce a valid message for the recipient: a referral whose recipient may not receive
 * a category the schema requires (IDENTITY, ISSUES). Rather than forward an invalid or misleading message, the gateway
 * refuses it. With a consistent {@code policy.yaml} this does not happen (the policy check refuses such ceilings).
 * The message text holds codes and pointers only, never personal data.
 */
public final class MinimizationRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String field;

    MinimizationRefusedException(String rule, String field) {
        super(rule);
        this.code = PolicyCodes.MINIMIZATION_REQUIRED_CATEGORY_REFUSED;
        this.field = field;
    }

    /** {@link PolicyCodes#MINIMIZATION_REQUIRED_CATEGORY_REFUSED}. */
    public String code() {
        return code;
    }

    /** The rule in words. */
    public String rule() {
        return getMessage();
    }

    /** JSON Pointer of the required field the recipient may not receive. */
    public String field() {
        return field;
    }
}
