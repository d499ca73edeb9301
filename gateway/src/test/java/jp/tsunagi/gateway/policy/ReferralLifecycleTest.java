package jp.tsunagi.gateway.policy;

import static jp.tsunagi.schema.model.ReferralStatus.ACCEPTED;
import static jp.tsunagi.schema.model.ReferralStatus.CANCELLED;
import static jp.tsunagi.schema.model.ReferralStatus.COMPLETED;
import static jp.tsunagi.schema.model.ReferralStatus.DECLINED;
import static jp.tsunagi.schema.model.ReferralStatus.FAILED;
import static jp.tsunagi.schema.model.ReferralStatus.IN_PROGRESS;
import static jp.tsunagi.schema.model.ReferralStatus.ON_HOLD;
import static jp.tsunagi.schema.model.ReferralStatus.RECEIVED;
import static jp.tsunagi.schema.model.ReferralStatus.SENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jp.tsunagi.gateway.policy.Transition.Outcome;
import jp.tsunagi.schema.model.ReferralStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ReferralLifecycleTest {
    /** docs/policy.md section 3 as the issue states it, written out independently of the class under test. */
    private static final Map<ReferralStatus, Set<ReferralStatus>> SPEC = Map.of(
            SENT, EnumSet.of(RECEIVED, ACCEPTED, DECLINED, CANCELLED, FAILED),
            RECEIVED, EnumSet.of(ACCEPTED, DECLINED, CANCELLED),
            ACCEPTED, EnumSet.of(IN_PROGRESS, ON_HOLD, COMPLETED, CANCELLED),
            IN_PROGRESS, EnumSet.of(ON_HOLD, COMPLETED, CANCELLED),
            ON_HOLD, EnumSet.of(IN_PROGRESS, COMPLETED, CANCELLED),
            DECLINED, EnumSet.noneOf(ReferralStatus.class),
            COMPLETED, EnumSet.noneOf(ReferralStatus.class),
            CANCELLED, EnumSet.noneOf(ReferralStatus.class),
            FAILED, EnumSet.noneOf(ReferralStatus.class));

    private final ReferralLifecycle lifecycle = new ReferralLifecycle();

    /** A party that may set the status, so that only the transition itself is judged. */
    private Party entitled(ReferralStatus status) {
        return lifecycle.whoMaySet(status).iterator().next();
    }

    static Stream<Arguments> everyPair() {
        return Stream.of(ReferralStatus.values())
                .flatMap(from -> Stream.of(ReferralStatus.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void every_transition_is_allowed_exactly_when_the_domain_table_lists_it(ReferralStatus from, ReferralStatus to) {
        Transition t = lifecycle.apply(from, to, to == RECEIVED ? Party.REFERRAL_RECIPIENT : entitled(to));

        if (from == to) {
            assertThat(t.outcome()).isEqualTo(Outcome.NO_CHANGE);
        } else if (SPEC.get(from).contains(to)) {
            assertThat(t.outcome()).as(t.explanation()).isEqualTo(Outcome.CHANGED);
            assertThat(t.code()).isEqualTo(PolicyCodes.LIFECYCLE_CHANGED);
        } else {
            assertThat(t.outcome()).as(from + " -> " + to).isEqualTo(Outcome.REFUSED);
            assertThat(t.code()).isEqualTo(PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED);
        }
    }

    @Test
    void a_referral_goes_from_sent_to_completed_along_the_closed_loop() {
        List<Object[]> steps = List.of(
                new Object[] {null, SENT, Party.GATEWAY},
                new Object[] {SENT, RECEIVED, Party.GATEWAY},
                new Object[] {RECEIVED, ACCEPTED, Party.REFERRAL_RECIPIENT},
                new Object[] {ACCEPTED, IN_PROGRESS, Party.REFERRAL_RECIPIENT},
                new Object[] {IN_PROGRESS, ON_HOLD, Party.REFERRAL_RECIPIENT},
                new Object[] {ON_HOLD, IN_PROGRESS, Party.REFERRAL_RECIPIENT},
                new Object[] {IN_PROGRESS, COMPLETED, Party.REFERRAL_RECIPIENT});
        for (Object[] step : steps) {
            Transition t = lifecycle.apply((ReferralStatus) step[0], (ReferralStatus) step[1], (Party) step[2]);
            assertThat(t.changed()).as(t.explanation()).isTrue();
        }
    }

    @Test
    void completed_before_accepted_is_refused() {
        Transition t = lifecycle.apply(SENT, COMPLETED, Party.REFERRAL_RECIPIENT);

        assertThat(t.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(t.allowed()).isFalse();
        assertThat(t.code()).isEqualTo(PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED);
        assertThat(t.explanation()).contains("SENT", "COMPLETED");
        assertThat(t.field()).isEqualTo("/statusUpdate/status");
    }

    @Test
    void completed_after_received_but_before_accepted_is_refused() {
        assertThat(lifecycle.apply(RECEIVED, COMPLETED, Party.REFERRAL_RECIPIENT).code())
                .isEqualTo(PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED);
    }

    @Test
    void a_status_update_from_an_agency_outside_the_referral_is_refused() {
        Party party = Party.of("tsunagi-hellowork", "tsunagi-tax", "tsunagi-hub", "gateway");

        Transition t = lifecycle.apply(SENT, ACCEPTED, party);

        assertThat(party).isEqualTo(Party.OTHER);
        assertThat(t.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(t.code()).isEqualTo(PolicyCodes.LIFECYCLE_NOT_A_PARTY);
        assertThat(t.field()).isEqualTo("/sender");
    }

    @Test
    void an_outsider_learns_nothing_about_the_state_even_for_an_impossible_transition() {
        assertThat(lifecycle.apply(COMPLETED, ACCEPTED, Party.OTHER).code()).isEqualTo(PolicyCodes.LIFECYCLE_NOT_A_PARTY);
    }

    @Test
    void the_sender_cannot_accept_its_own_referral() {
        Transition t = lifecycle.apply(RECEIVED, ACCEPTED, Party.REFERRAL_SENDER);

        assertThat(t.code()).isEqualTo(PolicyCodes.LIFECYCLE_PARTY_NOT_ALLOWED);
    }

    @Test
    void the_recipient_cannot_cancel_but_declines_instead() {
        assertThat(lifecycle.apply(RECEIVED, CANCELLED, Party.REFERRAL_RECIPIENT).code())
                .isEqualTo(PolicyCodes.LIFECYCLE_PARTY_NOT_ALLOWED);
        assertThat(lifecycle.apply(RECEIVED, DECLINED, Party.REFERRAL_RECIPIENT).changed()).isTrue();
    }

    @Test
    void the_sender_may_cancel_a_referral_in_progress() {
        assertThat(lifecycle.apply(IN_PROGRESS, CANCELLED, Party.REFERRAL_SENDER).changed()).isTrue();
    }

    @Test
    void a_repeat_of_the_current_status_by_the_same_party_is_idempotent() {
        Transition t = lifecycle.apply(ACCEPTED, ACCEPTED, Party.REFERRAL_RECIPIENT);

        assertThat(t.outcome()).isEqualTo(Outcome.NO_CHANGE);
        assertThat(t.allowed()).isTrue();
        assertThat(t.changed()).isFalse();
        assertThat(t.code()).isEqualTo(PolicyCodes.LIFECYCLE_NO_CHANGE);
    }

    @Test
    void a_repeat_of_a_final_status_is_idempotent_too() {
        assertThat(lifecycle.apply(COMPLETED, COMPLETED, Party.REFERRAL_RECIPIENT).outcome()).isEqualTo(Outcome.NO_CHANGE);
    }

    @Test
    void a_repeat_by_someone_who_may_not_set_that_status_is_still_refused() {
        assertThat(lifecycle.apply(ACCEPTED, ACCEPTED, Party.REFERRAL_SENDER).code())
                .isEqualTo(PolicyCodes.LIFECYCLE_PARTY_NOT_ALLOWED);
    }

    @Test
    void a_new_referral_starts_only_as_sent_by_the_gateway() {
        assertThat(lifecycle.apply(null, SENT, Party.GATEWAY).changed()).isTrue();
        assertThat(lifecycle.apply(null, SENT, Party.REFERRAL_SENDER).code()).isEqualTo(PolicyCodes.LIFECYCLE_PARTY_NOT_ALLOWED);
        assertThat(lifecycle.apply(null, ACCEPTED, Party.REFERRAL_RECIPIENT).code())
                .isEqualTo(PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED);
    }

    @ParameterizedTest
    @EnumSource(value = ReferralStatus.class, names = {"SENT", "RECEIVED", "ACCEPTED", "IN_PROGRESS", "ON_HOLD"})
    void the_gateway_cancels_any_open_referral_when_consent_is_withdrawn(ReferralStatus open) {
        assertThat(lifecycle.apply(open, CANCELLED, Party.GATEWAY).changed()).isTrue();
    }

    @Test
    void only_the_gateway_fails_a_referral_and_only_before_delivery() {
        assertThat(lifecycle.apply(SENT, FAILED, Party.GATEWAY).changed()).isTrue();
        assertThat(lifecycle.apply(SENT, FAILED, Party.REFERRAL_RECIPIENT).code()).isEqualTo(PolicyCodes.LIFECYCLE_PARTY_NOT_ALLOWED);
        assertThat(lifecycle.apply(RECEIVED, FAILED, Party.GATEWAY).code()).isEqualTo(PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED);
    }

    @Test
    void a_failed_referral_whose_requeued_copy_is_delivered_becomes_received_by_the_gateway_only() {
        assertThat(lifecycle.apply(FAILED, RECEIVED, Party.GATEWAY).changed()).isTrue();
        assertThat(lifecycle.apply(FAILED, RECEIVED, Party.REFERRAL_RECIPIENT).code())
                .isEqualTo(PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED);
        assertThat(lifecycle.apply(FAILED, ACCEPTED, Party.REFERRAL_RECIPIENT).code())
                .isEqualTo(PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED);
    }

    @ParameterizedTest
    @EnumSource(value = ReferralStatus.class, names = {"DECLINED", "COMPLETED", "CANCELLED", "FAILED"})
    void nothing_follows_a_final_status(ReferralStatus terminal) {
        assertThat(lifecycle.isTerminal(terminal)).isTrue();
        assertThat(lifecycle.allowedNext(terminal)).isEmpty();
        assertThat(lifecycle.apply(terminal, IN_PROGRESS, Party.REFERRAL_RECIPIENT).code())
                .isEqualTo(PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED);
    }

    @Test
    void a_delivery_confirmed_after_the_recipient_already_answered_changes_nothing() {
        Transition t = lifecycle.apply(ACCEPTED, RECEIVED, Party.GATEWAY);

        assertThat(t.outcome()).isEqualTo(Outcome.NO_CHANGE);
    }

    @Test
    void the_recipient_itself_cannot_step_back_to_received() {
        assertThat(lifecycle.apply(ACCEPTED, RECEIVED, Party.REFERRAL_RECIPIENT).code())
                .isEqualTo(PolicyCodes.LIFECYCLE_TRANSITION_NOT_ALLOWED);
    }

    @Test
    void the_party_of_an_agency_follows_from_the_referral() {
        assertThat(Party.of("tsunagi-tax", "tsunagi-tax", "tsunagi-hub", "gateway")).isEqualTo(Party.REFERRAL_SENDER);
        assertThat(Party.of("tsunagi-hub", "tsunagi-tax", "tsunagi-hub", "gateway")).isEqualTo(Party.REFERRAL_RECIPIENT);
        assertThat(Party.of("gateway", "tsunagi-tax", "tsunagi-hub", "gateway")).isEqualTo(Party.GATEWAY);
    }

    @Test
    void who_may_set_each_status_is_as_the_domain_says() {
        assertThat(lifecycle.whoMaySet(SENT)).containsExactly(Party.GATEWAY);
        assertThat(lifecycle.whoMaySet(RECEIVED)).containsExactlyInAnyOrder(Party.REFERRAL_RECIPIENT, Party.GATEWAY);
        for (ReferralStatus s : EnumSet.of(ACCEPTED, DECLINED, IN_PROGRESS, ON_HOLD, COMPLETED)) {
            assertThat(lifecycle.whoMaySet(s)).containsExactly(Party.REFERRAL_RECIPIENT);
        }
        assertThat(lifecycle.whoMaySet(CANCELLED)).containsExactlyInAnyOrder(Party.REFERRAL_SENDER, Party.GATEWAY);
        assertThat(lifecycle.whoMaySet(FAILED)).containsExactly(Party.GATEWAY);
    }
}
