package jp.tsunagi.gateway.policy;

import static jp.tsunagi.gateway.policy.Samples.NOW;
import static jp.tsunagi.gateway.policy.Samples.recipientOf;
import static jp.tsunagi.gateway.policy.Samples.sample;
import static jp.tsunagi.gateway.policy.Samples.senderOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import jp.tsunagi.schema.DataCategories;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.HouseholdMember;
import jp.tsunagi.schema.model.Issue;
import jp.tsunagi.schema.model.LifeProblem;
import jp.tsunagi.schema.model.Relationship;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.Notes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MinimizerTest {
    private static final Set<DataCategory> REQUIRED = EnumSet.of(DataCategory.IDENTITY, DataCategory.ISSUES);

    private final Minimizer minimizer = new Minimizer();

    static Stream<Path> samples() {
        return Samples.jsonFiles().stream();
    }

    /**
     * Every allowed set that contains IDENTITY and ISSUES, reduced to what matters for this message: each subset of
     * the other categories it carries (a category it does not carry cannot change the result), plus everything.
     */
    private static List<Set<DataCategory>> allowedSets(Message message) {
        List<DataCategory> optional = new ArrayList<>(DataCategories.amounts(message).keySet());
        optional.removeAll(REQUIRED);
        List<Set<DataCategory>> sets = new ArrayList<>();
        for (int mask = 0; mask < 1 << optional.size(); mask++) {
            Set<DataCategory> allowed = EnumSet.copyOf(REQUIRED);
            for (int i = 0; i < optional.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    allowed.add(optional.get(i));
                }
            }
            sets.add(allowed);
        }
        sets.add(EnumSet.allOf(DataCategory.class));
        return sets;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void every_sample_minimized_to_any_allowed_set_stays_valid_and_carries_nothing_else(Path file) {
        Message original = Samples.read(file);
        Set<DataCategory> carried = DataCategories.carriedBy(original).keySet();
        // every household member with the same allowance as the subject: what is removed is what is not allowed
        int members = original.getReferral() == null ? 0 : original.getReferral().getHousehold().size();

        for (Set<DataCategory> allowed : allowedSets(original)) {
            Minimized minimized = minimizer.minimize(original, allowed, Collections.nCopies(members, allowed));

            assertThat(Samples.READER.check(minimized.message())).as("%s to %s", file.getFileName(), allowed).isEmpty();
            assertThat(DataCategories.carriedBy(minimized.message()).keySet()).isSubsetOf(allowed);
            Set<DataCategory> expectedRemoved = EnumSet.noneOf(DataCategory.class);
            expectedRemoved.addAll(DataCategories.amounts(original).keySet());
            expectedRemoved.removeAll(allowed);
            if (members > 0 && !allowed.contains(DataCategory.HOUSEHOLD)) {
                // without the household goes every member's issue codes, whatever their category
                original.getReferral().getHousehold().forEach(m -> m.getIssues()
                        .forEach(code -> expectedRemoved.add(DataCategories.of(code))));
            }
            assertThat(minimized.removed()).containsExactlyElementsOf(expectedRemoved);
            assertThat(DataCategories.carriedBy(minimized.message()).keySet())
                    .containsExactlyInAnyOrderElementsOf(carried.stream().filter(allowed::contains).toList());
        }
    }

    @Test
    void minimization_removes_health_for_hello_work_and_lists_it() {
        Message message = sample("F4-hub-to-hellowork");
        Notes health = new Notes();
        health.setNote("腰痛の持病があり、重量物の運搬は難しいと本人が話している。");
        message.getReferral().setHealth(health);
        message.getReferral().getBasis().getConsent().getDataCategories().add(DataCategory.HEALTH);
        Decision decision = new ConsentEngine(Samples.policy(), new InMemoryConsentLedger())
                .decide(message, senderOf(message), recipientOf(message), NOW);

        Minimized minimized = minimizer.minimize(message, decision.allowedCategories());

        assertThat(decision.allowed()).isTrue();
        assertThat(minimized.removed()).containsExactly(DataCategory.HEALTH);
        assertThat(minimized.changed()).isTrue();
        assertThat(minimized.message().getReferral().getHealth()).isNull();
        assertThat(minimized.message().getReferral().getEmployment()).isNotNull();
        assertThat(Samples.READER.check(minimized.message())).isEmpty();
    }

    @Test
    void hello_work_receives_no_health_or_disability_code_and_the_provenance_says_so() {
        Message message = sample("F4-hub-to-hellowork");
        message.getReferral().getIssues().addAll(List.of(Issue.ILLNESS, Issue.DISABILITY_SUSPECTED));
        message.getReferral().getLifeProblems().add(LifeProblem.HEALTH_MEDICAL);
        message.getReferral().getBasis().getConsent().getDataCategories().addAll(
                List.of(DataCategory.HEALTH, DataCategory.DISABILITY));
        Decision decision = new ConsentEngine(Samples.policy(), new InMemoryConsentLedger())
                .decide(message, senderOf(message), recipientOf(message), NOW);

        Minimized minimized = minimizer.minimize(message, decision);

        assertThat(decision.allowed()).isTrue();
        assertThat(minimized.message().getReferral().getIssues()).containsExactly(Issue.JOB_SEARCH_DIFFICULTY,
                Issue.ECONOMIC_HARDSHIP);
        assertThat(minimized.message().getReferral().getLifeProblems()).containsExactly(LifeProblem.EMPLOYMENT);
        assertThat(minimized.removed()).containsExactly(DataCategory.HEALTH, DataCategory.DISABILITY);
        assertThat(Samples.READER.check(minimized.message())).isEmpty();
    }

    @Test
    void the_provenance_lists_no_category_of_which_nothing_was_removed() {
        // Hello Work may not receive HEALTH, but this referral carries nothing of it: nothing to claim
        Message message = sample("F4-hub-to-hellowork");
        Decision decision = new ConsentEngine(Samples.policy(), new InMemoryConsentLedger())
                .decide(message, senderOf(message), recipientOf(message), NOW);

        Minimized minimized = minimizer.minimize(message, decision);

        assertThat(decision.allowedCategories()).doesNotContain(DataCategory.HEALTH);
        assertThat(minimized.removed()).isEmpty();
        assertThat(minimized.changed()).isFalse();
    }

    @Test
    void in_the_8050_household_the_member_without_a_basis_is_removed_and_listed_by_position() {
        Message message = sample("F5-");
        Decision decision = new ConsentEngine(Samples.policy(), new InMemoryConsentLedger())
                .decide(message, senderOf(message), recipientOf(message), NOW);

        Minimized minimized = minimizer.minimize(message, decision);

        List<HouseholdMember> household = minimized.message().getReferral().getHousehold();
        assertThat(household).hasSize(1);
        // the mother, on her own consent naming HEALTH, with her illness; the sister, with none, is not there
        assertThat(household.get(0).getRelationship()).isEqualTo(Relationship.PARENT);
        assertThat(household.get(0).getIssues()).containsExactly(Issue.ILLNESS);
        assertThat(minimized.removedMembers()).containsExactly(1);
        assertThat(JsonCodec.toTree(minimized.message()).toString()).doesNotContain("美千代", "ミチヨ", "1977-11-03");
        // a household entry and the sister's 家族の問題 code went; the subject's own data did not
        assertThat(minimized.removed()).containsExactly(DataCategory.HOUSEHOLD, DataCategory.ISSUES);
        assertThat(Samples.READER.check(minimized.message())).isEmpty();
    }

    @Test
    void a_household_member_never_travels_under_the_subjects_consent() {
        // the defect: the mother's name, kana, birth date and ILLNESS code reached the hub under her son's consent
        Message message = sample("F5-");
        message.getReferral().getHousehold().forEach(member -> member.setBasis(null));
        Decision decision = new ConsentEngine(Samples.policy(), new InMemoryConsentLedger())
                .decide(message, senderOf(message), recipientOf(message), NOW);

        Minimized minimized = minimizer.minimize(message, decision);

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.members()).extracting(Decision::code).containsOnly(PolicyCodes.MEMBER_NO_BASIS);
        assertThat(minimized.message().getReferral().getHousehold()).isEmpty();
        assertThat(minimized.removedMembers()).containsExactly(0, 1);
        assertThat(JsonCodec.toTree(minimized.message()).toString())
                .doesNotContain("キヨ子", "キヨコ", "1945-06-02", "ILLNESS");
        assertThat(minimized.removed()).containsExactly(DataCategory.HOUSEHOLD, DataCategory.ISSUES, DataCategory.HEALTH);
        assertThat(Samples.READER.check(minimized.message())).isEmpty();
    }

    @Test
    void a_members_code_of_a_category_her_own_consent_does_not_name_is_removed_not_the_member() {
        Message message = sample("F5-");
        message.getReferral().getHousehold().get(0).getBasis().getConsent().getDataCategories()
                .remove(DataCategory.HEALTH);
        Decision decision = new ConsentEngine(Samples.policy(), new InMemoryConsentLedger())
                .decide(message, senderOf(message), recipientOf(message), NOW);

        Minimized minimized = minimizer.minimize(message, decision);

        HouseholdMember mother = minimized.message().getReferral().getHousehold().get(0);
        assertThat(mother.getName().getGiven()).isEqualTo("キヨ子");
        assertThat(mother.getIssues()).isEmpty();
        assertThat(minimized.removed()).contains(DataCategory.HEALTH);
    }

    @Test
    void the_input_message_is_never_changed() {
        Message message = sample("F5-");
        byte[] before = JsonCodec.write(message);

        Minimized minimized = minimizer.minimize(message, REQUIRED);

        assertThat(JsonCodec.write(message)).isEqualTo(before);
        assertThat(minimized.message()).isNotSameAs(message);
        assertThat(message.getReferral().getHousehold()).isNotEmpty();
    }

    @Test
    void the_copy_shares_nothing_with_the_input() {
        Message message = sample("F2-");
        byte[] before = JsonCodec.write(message);

        Minimized minimized = minimizer.minimize(message, EnumSet.allOf(DataCategory.class));
        minimized.message().getReferral().getSubject().getName().setFamily("変更");
        minimized.message().getReferral().getIssues().clear();

        assertThat(JsonCodec.write(message)).isEqualTo(before);
    }

    @Test
    void nothing_is_removed_when_everything_carried_is_allowed() {
        Message message = sample("F1-");

        Minimized minimized = minimizer.minimize(message, EnumSet.copyOf(
                message.getReferral().getBasis().getConsent().getDataCategories()));

        assertThat(minimized.removed()).isEmpty();
        assertThat(minimized.changed()).isFalse();
        assertThat(JsonCodec.write(minimized.message())).isEqualTo(JsonCodec.write(message));
    }

    @Test
    void the_consent_block_is_kept_intact_as_the_record_of_the_lawful_basis() {
        Message message = sample("F1-");
        String consentBefore = JsonCodec.toTree(message).at("/referral/basis").toString();

        Minimized minimized = minimizer.minimize(message, EnumSet.of(DataCategory.IDENTITY, DataCategory.ISSUES,
                DataCategory.NARRATIVE, DataCategory.CONTACT));

        assertThat(JsonCodec.toTree(minimized.message()).at("/referral/basis").toString()).isEqualTo(consentBefore);
        assertThat(minimized.removed()).containsExactly(DataCategory.ADDRESS, DataCategory.EMPLOYMENT,
                DataCategory.TAX_ARREARS);
    }

    @Test
    void only_categories_actually_carried_are_listed_as_removed() {
        Message message = sample("F7-");

        Minimized minimized = minimizer.minimize(message, REQUIRED);

        assertThat(minimized.removed()).containsExactly(DataCategory.NARRATIVE);
    }

    @Test
    void the_referrer_is_staff_contact_not_personal_data_of_the_person_and_stays() {
        Message message = sample("F1-");

        Minimized minimized = minimizer.minimize(message, REQUIRED);

        assertThat(minimized.message().getReferral().getReferrer()).isNotNull();
        assertThat(minimized.message().getReferral().getSubject().getName()).isNotNull();
        assertThat(minimized.message().getReferral().getSubject().getContact()).isNull();
        assertThat(minimized.message().getReferral().getSubject().getAddress()).isNull();
    }

    @Test
    void a_referral_without_identity_allowed_is_refused_rather_than_made_invalid() {
        Message message = sample("F2-");

        assertThatThrownBy(() -> minimizer.minimize(message, EnumSet.of(DataCategory.ISSUES, DataCategory.NARRATIVE)))
                .isInstanceOfSatisfying(MinimizationRefusedException.class, e -> {
                    assertThat(e.code()).isEqualTo(PolicyCodes.MINIMIZATION_REQUIRED_CATEGORY_REFUSED);
                    assertThat(e.field()).isEqualTo("/referral/subject");
                    assertThat(e.rule()).contains("IDENTITY").doesNotContain("中村");
                });
    }

    @Test
    void a_referral_without_issues_allowed_is_refused() {
        Message message = sample("F2-");

        assertThatThrownBy(() -> minimizer.minimize(message, EnumSet.of(DataCategory.IDENTITY)))
                .isInstanceOfSatisfying(MinimizationRefusedException.class,
                        e -> assertThat(e.field()).isEqualTo("/referral/issues"));
    }

    @Test
    void a_status_update_loses_its_note_when_narrative_is_not_allowed_and_stays_valid() {
        Message message = sample("F4-hellowork-to-hub");

        Minimized minimized = minimizer.minimize(message, Set.of());

        assertThat(minimized.removed()).containsExactly(DataCategory.NARRATIVE);
        assertThat(minimized.message().getStatusUpdate().getNote()).isNull();
        assertThat(minimized.message().getStatusUpdate().getStatus()).isEqualTo(message.getStatusUpdate().getStatus());
        assertThat(Samples.READER.check(minimized.message())).isEmpty();
    }

    @Test
    void a_consent_withdrawal_carries_no_category_and_passes_unchanged() {
        Message message = sample("F10-");

        Minimized minimized = minimizer.minimize(message, Set.of());

        assertThat(minimized.removed()).isEmpty();
        assertThat(JsonCodec.write(minimized.message())).isEqualTo(JsonCodec.write(message));
    }
}
