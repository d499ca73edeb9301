package jp.tsunagi.gateway.policy;

import static jp.tsunagi.gateway.policy.PolicyCodes.LIFECYCLE_CHANGED;
import static jp.tsunagi.gateway.policy.PolicyCodes.LIFECYCLE_NOT_A_PARTY;
import static jp.tsunagi.gateway.policy.PolicyCodes.LIFECYCLE_NO_CHANGE;
import static jp.tsunagi.gateway.policy.PolicyCodes.LIFECYCLE_PARTY_NOT_ALLOWED;
import static jp.tsunagi.gateway.policy.PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED;
import static jp.tsunagi.schema.model.ReferralStatus.ACCEPTED;
import static jp.tsunagi.schema.model.ReferralStatus.CANCELLED;
import static jp.tsunagi.schema.model.ReferralStatus.COMPLETED;
import static jp.tsunagi.schema.model.ReferralStatus.DECLINED;
import static jp.tsunagi.schema.model.ReferralStatus.FAILED;
import static jp.tsunagi.schema.model.ReferralStatus.IN_PROGRESS;
import static jp.tsunagi.schema.model.ReferralStatus.ON_HOLD;
import static jp.tsunagi.schema.model.ReferralStatus.RECEIVED;
import static jp.tsunagi.schema.model.ReferralStatus.SENT;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jp.tsunagi.schema.CodeLists;
import jp.tsunagi.schema.model.ReferralStatus;

/**
 * The referral lifecycle (紹介の状況), docs/policy.md section 3, aligned with FHIR Task business status: which status may
 * follow which, and who may set each. The closed loop (F9) runs through it: the recipient reports RECEIVED, ACCEPTED,
 * DECLINED, IN_PROGRESS, ON_HOLD, COMPLETED; the sender may cancel; the gateway sets SENT when it accepts the referral,
 * RECEIVED on delivery, FAILED on dead letter and CANCELLED when the consent is withdrawn. FAILED is final for the
 * parties; only the gateway moves it on, to RECEIVED, when an administrator requeued the copy and it was delivered.
 * Stateless: the caller keeps the current status.
 */
public final class ReferralLifecycle {
    private static final Map<ReferralStatus, Set<ReferralStatus>> NEXT = new EnumMap<>(ReferralStatus.class);
    private static final Map<ReferralStatus, Set<Party>> WHO = new EnumMap<>(ReferralStatus.class);
    /** Where a new referral starts: only SENT, set by the gateway on acceptance. */
    private static final Set<ReferralStatus> INITIAL = Collections.unmodifiableSet(EnumSet.of(SENT));

    static {
        next(SENT, RECEIVED, ACCEPTED, DECLINED, CANCELLED, FAILED);
        next(RECEIVED, ACCEPTED, DECLINED, CANCELLED);
        next(ACCEPTED, IN_PROGRESS, ON_HOLD, COMPLETED, CANCELLED);
        next(IN_PROGRESS, ON_HOLD, COMPLETED, CANCELLED);
        next(ON_HOLD, IN_PROGRESS, COMPLETED, CANCELLED);
        next(DECLINED);
        next(COMPLETED);
        next(CANCELLED);
        next(FAILED);

        who(SENT, Party.GATEWAY);
        who(RECEIVED, Party.REFERRAL_RECIPIENT, Party.GATEWAY);
        for (ReferralStatus byRecipient : EnumSet.of(ACCEPTED, DECLINED, IN_PROGRESS, ON_HOLD, COMPLETED)) {
            who(byRecipient, Party.REFERRAL_RECIPIENT);
        }
        who(CANCELLED, Party.REFERRAL_SENDER, Party.GATEWAY);
        who(FAILED, Party.GATEWAY);
    }

    private static void next(ReferralStatus from, ReferralStatus... to) {
        NEXT.put(from, Collections.unmodifiableSet(to.length == 0 ? EnumSet.noneOf(ReferralStatus.class)
                : EnumSet.of(to[0], to)));
    }

    private static void who(ReferralStatus status, Party first, Party... rest) {
        WHO.put(status, Collections.unmodifiableSet(EnumSet.of(first, rest)));
    }

    /** The statuses that may follow {@code current}; for null (a referral without a status yet), SENT. */
    public Set<ReferralStatus> allowedNext(ReferralStatus current) {
        return current == null ? INITIAL : NEXT.get(current);
    }

    /** The parties that may set this status. */
    public Set<Party> whoMaySet(ReferralStatus status) {
        return WHO.get(status);
    }

    /** DECLINED, COMPLETED, CANCELLED and FAILED: nothing follows them. */
    public boolean isTerminal(ReferralStatus status) {
        return NEXT.get(status).isEmpty();
    }

    /**
     * Decides one requested change. The party is checked first, so that someone outside the referral learns nothing
     * about its state.
     *
     * @param current the referral's status now, null if it has none yet
     * @param next    the status asked for
     * @param party   who asks
     */
    public Transition apply(ReferralStatus current, ReferralStatus next, Party party) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(party, "party");
        if (party == Party.OTHER) {
            return refused(current, next, LIFECYCLE_NOT_A_PARTY, "only the sender and the recipient of a referral"
                    + " (and the gateway) may change its status");
        }
        if (!WHO.get(next).contains(party)) {
            return refused(current, next, LIFECYCLE_PARTY_NOT_ALLOWED, name(next) + " is set by " + WHO.get(next)
                    + ", not by the " + party);
        }
        if (next == current) {
            return new Transition(Transition.Outcome.NO_CHANGE, current, next, LIFECYCLE_NO_CHANGE,
                    "the referral is already " + name(next) + ": a repeat changes nothing");
        }
        if (next == RECEIVED && party == Party.GATEWAY && current == FAILED) {
            // an administrator requeued the dead-lettered copy and it has now been delivered: the 不達 was not final
            return new Transition(Transition.Outcome.CHANGED, current, next, LIFECYCLE_CHANGED,
                    name(current) + " -> " + name(next) + " by the " + party + ": the requeued copy was delivered");
        }
        if (next == RECEIVED && party == Party.GATEWAY && current != null && current != SENT) {
            // a delivery confirmed after the recipient already answered (its status update overtook the
            // acknowledgement): harmless, and not an error for the delivery worker
            return new Transition(Transition.Outcome.NO_CHANGE, current, next, LIFECYCLE_NO_CHANGE,
                    "delivery confirmed after the referral had already moved on to " + name(current));
        }
        if (!allowedNext(current).contains(next)) {
            String allowed = allowedNext(current).isEmpty() ? "nothing (" + name(current) + " is final)"
                    : allowedNext(current).toString();
            return refused(current, next, LIFECYCLE_TRANSITION_NOT_ALLOWED, (current == null ? "a new referral"
                    : "a referral " + name(current)) + " cannot become " + name(next) + "; allowed next: " + allowed);
        }
        return new Transition(Transition.Outcome.CHANGED, current, next, LIFECYCLE_CHANGED,
                (current == null ? "new referral" : name(current)) + " -> " + name(next) + " by the " + party);
    }

    private static Transition refused(ReferralStatus current, ReferralStatus next, String code, String explanation) {
        return new Transition(Transition.Outcome.REFUSED, current, next, code, explanation);
    }

    private static String name(ReferralStatus status) {
        return status + " (" + CodeLists.label(status) + ")";
    }
}
