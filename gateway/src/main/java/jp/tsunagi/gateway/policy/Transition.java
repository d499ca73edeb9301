package jp.tsunagi.gateway.policy;

import java.util.Objects;
import jp.tsunagi.schema.model.ReferralStatus;

/**
 * The answer of the referral lifecycle to one requested change of status (状況の遷移): changed, no change (a repeat),
 * or refused, with a stable code and an explanation that holds no personal data.
 *
 * @param from the status before (null for a referral that has none yet)
 * @param to   the status asked for
 */
public record Transition(Outcome outcome, ReferralStatus from, ReferralStatus to, String code, String explanation) {
    public enum Outcome {
        /** The referral moves to the new status: record it and tell the other party. */
        CHANGED,
        /** A repeat: nothing to record, not an error (answer as if it succeeded). */
        NO_CHANGE,
        /** Not allowed: nothing changes (HTTP 422). */
        REFUSED
    }

    public Transition {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(explanation, "explanation");
    }

    /** Whether the request is acceptable (changed, or a harmless repeat). */
    public boolean allowed() {
        return outcome != Outcome.REFUSED;
    }

    public boolean changed() {
        return outcome == Outcome.CHANGED;
    }

    /** JSON Pointer of the field of the status update that decided a refusal, or empty. */
    public String field() {
        return switch (code) {
            case PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED -> "/statusUpdate/status";
            case PolicyCodes.LIFECYCLE_NOT_A_PARTY, PolicyCodes.LIFECYCLE_PARTY_NOT_ALLOWED -> "/sender";
            default -> "";
        };
    }
}
