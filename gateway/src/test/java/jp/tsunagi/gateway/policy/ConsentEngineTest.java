package jp.tsunagi.gateway.policy;

import static jp.tsunagi.gateway.policy.Samples.NOW;
import static jp.tsunagi.gateway.policy.Samples.agency;
import static jp.tsunagi.gateway.policy.Samples.recipientOf;
import static jp.tsunagi.gateway.policy.Samples.sample;
import static jp.tsunagi.gateway.policy.Samples.senderOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.schema.model.AgencyType;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.Consent;
import jp.tsunagi.schema.model.ConsentGiver;
import jp.tsunagi.schema.model.ConsentRecipient;
import jp.tsunagi.schema.model.Representative;
import jp.tsunagi.schema.model.RepresentativeKind;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.Notes;
import jp.tsunagi.schema.model.Purpose;
import jp.tsunagi.schema.model.SupportMeeting;
import jp.tsunagi.schema.model.TaxArrears;
import jp.tsunagi.schema.model.TaxArrearsItem;
import jp.tsunagi.schema.model.TaxItem;
import jp.tsunagi.schema.model.VitalInterest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsentEngineTest {
    private final InMemoryConsentLedger ledger = new InMemoryConsentLedger();
    private final ConsentEngine engine = new ConsentEngine(Samples.policy(), ledger);

    private Decision decide(Message message) {
        return engine.decide(message, senderOf(message), recipientOf(message), NOW);
    }

    private static Consent consentOf(Message message) {
        return message.getReferral().getBasis().getConsent();
    }

    private static Message readdressed(Message message, String sender, String recipient) {
        message.setSender(sender);
        message.setRecipient(recipient);
        return message;
    }

    private static void addTaxArrears(Message message) {
        TaxArrearsItem item = new TaxArrearsItem();
        item.setTaxItem(TaxItem.INDIVIDUAL_RESIDENT_TAX);
        item.setFiscalYear(2025);
        item.setAmountYen(96800L);
        TaxArrears arrears = new TaxArrears();
        arrears.getItems().add(item);
        message.getReferral().setTaxArrears(arrears);
    }

    private static Notes note(String text) {
        Notes notes = new Notes();
        notes.setNote(text);
        return notes;
    }

    @Nested
    class Lawful_samples {
        @ParameterizedTest
        @ValueSource(strings = {"F1-", "F2-", "F3-", "F4-hub-to-hellowork", "F5-", "F6-", "F7-"})
        void every_consent_sample_is_allowed_with_the_consented_categories_within_the_recipient_ceiling(String prefix) {
            Message message = sample(prefix);

            Decision decision = decide(message);

            Set<DataCategory> expected = EnumSet.copyOf(consentOf(message).getDataCategories());
            expected.retainAll(Samples.policy().ceiling(recipientOf(message).type()));
            assertThat(decision.allowed()).as(decision.rule()).isTrue();
            assertThat(decision.code()).isEqualTo(PolicyCodes.LAWFUL_CONSENT);
            assertThat(decision.basis()).isEqualTo(LegalBasis.CONSENT);
            assertThat(decision.reviewRequired()).isFalse();
            assertThat(decision.allowedCategories()).isEqualTo(expected);
            assertThat(decision.field()).isEqualTo("/referral/basis/consent");
        }

        @Test
        void the_tax_desk_referral_that_names_tax_arrears_in_its_consent_is_allowed_with_them() {
            Decision decision = decide(sample("F1-"));

            assertThat(decision.allowed()).isTrue();
            assertThat(decision.allowedCategories()).contains(DataCategory.TAX_ARREARS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"F4-hellowork-to-hub", "F9-hub-to-tax", "F9-welfare-to-hub", "F10-"})
        void status_updates_and_withdrawals_on_an_allowed_route_follow_their_referral(String prefix) {
            Message message = sample(prefix);

            Decision decision = decide(message);

            assertThat(decision.allowed()).as(decision.rule()).isTrue();
            assertThat(decision.code()).isEqualTo(PolicyCodes.LAWFUL_FOLLOWS_REFERRAL);
            assertThat(decision.basis()).isNull();
            assertThat(decision.allowedCategories()).isEqualTo(Samples.policy().ceiling(recipientOf(message).type()));
        }
    }

    @Nested
    class Route {
        @Test
        void a_route_the_policy_does_not_list_is_refused() {
            Message message = readdressed(sample("F1-"), "tsunagi-tax", "tsunagi-hellowork");

            Decision decision = decide(message);

            assertThat(decision.allowed()).isFalse();
            assertThat(decision.code()).isEqualTo(PolicyCodes.ROUTE_NOT_ALLOWED);
            assertThat(decision.field()).isEqualTo("/recipient");
            assertThat(decision.rule()).contains("TAX_DESK", "HELLO_WORK");
            assertThat(decision.allowedCategories()).isEmpty();
        }

        @Test
        void a_message_type_the_route_does_not_carry_is_refused() {
            // welfare office -> care center exists for the support meeting, without consent withdrawals
            Message message = readdressed(sample("F10-"), "tsunagi-welfare", "tsunagi-houkatsu");

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.MESSAGE_TYPE_NOT_ALLOWED);
            assertThat(decision.field()).isEqualTo("/messageType");
        }

        @Test
        void a_basis_the_route_does_not_allow_is_refused() {
            Message message = sample("F1-");
            VitalInterest vital = new VitalInterest();
            vital.setJustification("納付相談の場で本人が強い希死念慮を訴え、直ちに支援につなぐ必要がある。");
            Basis basis = new Basis();
            basis.setVitalInterest(vital);
            message.getReferral().setBasis(basis);
            message.getReferral().setTaxArrears(null);

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.BASIS_NOT_ALLOWED);
            assertThat(decision.basis()).isEqualTo(LegalBasis.VITAL_INTEREST);
            assertThat(decision.field()).isEqualTo("/referral/basis/vitalInterest");
        }

        @Test
        void a_recipient_that_does_not_accept_the_message_type_is_refused() {
            Message message = sample("F9-hub-to-tax");
            Agency tax = agency("tsunagi-tax");
            Agency referralsOnly = new Agency(tax.id(), tax.name(), tax.type(), tax.municipality(), tax.keys(),
                    tax.connector(), List.of(MessageType.REFERRAL));

            Decision decision = engine.decide(message, senderOf(message), referralsOnly, NOW);

            assertThat(decision.code()).isEqualTo(PolicyCodes.RECIPIENT_DOES_NOT_ACCEPT);
        }

        @Test
        void a_referral_without_a_basis_is_refused() {
            Message message = sample("F2-");
            message.getReferral().setBasis(new Basis());

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.BASIS_MISSING);
            assertThat(decision.field()).isEqualTo("/referral/basis");
        }

        @Test
        void agencies_that_are_not_the_message_sender_and_recipient_are_a_wiring_error() {
            Message message = sample("F2-");

            assertThatThrownBy(() -> engine.decide(message, agency("tsunagi-tax"), recipientOf(message), NOW))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Consent_in_force {
        @Test
        void an_expired_consent_is_refused() {
            Message message = sample("F3-");
            consentOf(message).setExpiresAt(Samples.NOW_JST.minusDays(1));

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_EXPIRED);
            assertThat(decision.field()).isEqualTo("/referral/basis/consent/expiresAt");
            assertThat(decision.basis()).isEqualTo(LegalBasis.CONSENT);
        }

        @Test
        void a_consent_that_expires_at_this_very_moment_is_already_expired() {
            Message message = sample("F3-");
            consentOf(message).setExpiresAt(Samples.NOW_JST);

            assertThat(decide(message).code()).isEqualTo(PolicyCodes.CONSENT_EXPIRED);
        }

        @Test
        void a_withdrawn_consent_is_refused() {
            Message message = sample("F3-");
            ledger.withdraw("CNS-2026-0043", OffsetDateTime.parse("2026-09-01T16:30:00+09:00").toInstant());

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_WITHDRAWN);
            assertThat(decision.field()).isEqualTo("/referral/basis/consent/consentId");
        }

        @Test
        void the_withdrawal_of_another_consent_changes_nothing() {
            ledger.withdraw("CNS-2026-0012", NOW.minus(Duration.ofDays(1)));

            assertThat(decide(sample("F3-")).allowed()).isTrue();
        }

        @Test
        void a_consent_obtained_after_now_is_refused() {
            Message message = sample("F3-");
            consentOf(message).setObtainedAt(Samples.NOW_JST.plusHours(1));

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_NOT_YET_OBTAINED);
            assertThat(decision.field()).isEqualTo("/referral/basis/consent/obtainedAt");
        }

        @Test
        void a_consent_obtained_a_minute_ahead_of_the_gateway_clock_is_tolerated_like_the_schema_does() {
            Message message = sample("F3-");
            consentOf(message).setObtainedAt(Samples.NOW_JST.plusMinutes(1));

            assertThat(decide(message).allowed()).isTrue();
        }
    }

    @Nested
    class Consent_scope {
        @Test
        void a_consent_that_does_not_name_the_recipient_is_refused() {
            Message message = sample("F3-");
            ConsentRecipient other = new ConsentRecipient();
            other.setAgencyId("tsunagi-hellowork");
            consentOf(message).getRecipients().clear();
            consentOf(message).getRecipients().add(other);

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_RECIPIENT_NOT_NAMED);
            assertThat(decision.field()).isEqualTo("/referral/basis/consent/recipients");
        }

        @Test
        void a_consent_that_names_another_agency_type_is_refused() {
            Message message = sample("F5-");
            consentOf(message).getRecipients().get(0).setAgencyType(AgencyType.WELFARE_OFFICE);

            assertThat(decide(message).code()).isEqualTo(PolicyCodes.CONSENT_RECIPIENT_NOT_NAMED);
        }

        @Test
        void a_consent_that_names_the_recipient_by_agency_type_is_enough() {
            Message message = sample("F5-");

            assertThat(consentOf(message).getRecipients().get(0).getAgencyType()).isEqualTo(AgencyType.SELF_RELIANCE_SUPPORT);
            assertThat(decide(message).allowed()).isTrue();
        }

        @Test
        void a_consent_for_another_purpose_is_refused() {
            Message message = sample("F3-");
            message.getReferral().setPurpose(Purpose.HAND_BACK);

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_PURPOSE_NOT_NAMED);
            assertThat(decision.field()).isEqualTo("/referral/purpose");
        }

        @Test
        void a_category_the_consent_does_not_name_is_refused_and_the_field_that_carries_it_is_named() {
            Message message = sample("F2-");
            consentOf(message).getDataCategories().remove(DataCategory.INCOME_ASSETS);

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_CATEGORY_NOT_NAMED);
            assertThat(decision.field()).isEqualTo("/referral/incomeAssets");
            assertThat(decision.rule()).contains("INCOME_ASSETS");
        }

        @Test
        void a_tax_referral_whose_consent_does_not_name_tax_arrears_is_refused() {
            Message message = sample("F1-");
            consentOf(message).getDataCategories().remove(DataCategory.TAX_ARREARS);

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_TAX_REQUIRES_CONSENT);
            assertThat(decision.field()).isEqualTo("/referral/taxArrears");
            assertThat(decision.rule()).contains("Local Tax Act art. 22");
        }

        @Test
        void health_data_on_a_consent_that_does_not_name_it_is_refused_as_sensitive() {
            Message message = sample("F3-");
            consentOf(message).getDataCategories().remove(DataCategory.HEALTH);

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_SENSITIVE_NOT_NAMED);
            assertThat(decision.field()).isEqualTo("/referral/health");
            assertThat(decision.rule()).contains("要配慮個人情報");
        }

        @Test
        void child_welfare_data_counts_as_sensitive() {
            Message message = sample("F2-");
            message.getReferral().setChildWelfare(note("長女(中学生)が家事と弟の世話を担っており、不登校気味との情報あり。"));

            assertThat(decide(message).code()).isEqualTo(PolicyCodes.CONSENT_SENSITIVE_NOT_NAMED);
        }

        @Test
        void child_welfare_data_named_in_the_consent_is_allowed() {
            Message message = sample("F2-");
            message.getReferral().setChildWelfare(note("長女(中学生)が家事と弟の世話を担っており、不登校気味との情報あり。"));
            consentOf(message).getDataCategories().add(DataCategory.CHILD_WELFARE);

            Decision decision = decide(message);

            assertThat(decision.allowed()).isTrue();
            assertThat(decision.allowedCategories()).contains(DataCategory.CHILD_WELFARE);
        }

        @Test
        void health_named_in_a_consent_to_hello_work_is_lawful_but_stays_above_the_ceiling() {
            Message message = sample("F4-hub-to-hellowork");
            message.getReferral().setHealth(note("腰痛の持病があり、重量物の運搬は難しいと本人が話している。"));
            consentOf(message).getDataCategories().add(DataCategory.HEALTH);

            Decision decision = decide(message);

            assertThat(decision.allowed()).isTrue();
            assertThat(decision.allowedCategories()).doesNotContain(DataCategory.HEALTH)
                    .contains(DataCategory.IDENTITY, DataCategory.ISSUES, DataCategory.EMPLOYMENT);
        }
    }

    @Nested
    class Support_meeting {
        @Test
        void members_of_a_registered_meeting_may_share_without_consent_within_the_recipient_ceiling() {
            Message message = sample("F8-hub-to-welfare");

            Decision decision = decide(message);

            assertThat(decision.allowed()).as(decision.rule()).isTrue();
            assertThat(decision.code()).isEqualTo(PolicyCodes.LAWFUL_SUPPORT_MEETING);
            assertThat(decision.basis()).isEqualTo(LegalBasis.SUPPORT_MEETING);
            assertThat(decision.reviewRequired()).isFalse();
            assertThat(decision.allowedCategories()).isEqualTo(Samples.policy().ceiling(AgencyType.WELFARE_OFFICE));
        }

        @Test
        void tax_data_under_a_support_meeting_is_refused() {
            Message message = sample("F8-hub-to-welfare");
            addTaxArrears(message);

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_TAX_REQUIRES_CONSENT);
            assertThat(decision.basis()).isEqualTo(LegalBasis.SUPPORT_MEETING);
            assertThat(decision.field()).isEqualTo("/referral/taxArrears");
        }

        @Test
        void a_support_meeting_message_to_a_non_member_is_refused() {
            // the route hub -> Hello Work allows SUPPORT_MEETING, but Hello Work is not a member of this meeting
            Message message = readdressed(sample("F8-hub-to-welfare"), "tsunagi-hub", "tsunagi-hellowork");

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.SUPPORT_MEETING_NOT_MEMBER);
            assertThat(decision.field()).isEqualTo("/recipient");
        }

        @Test
        void a_support_meeting_message_from_a_non_member_is_refused() {
            Message message = readdressed(sample("F8-hub-to-welfare"), "tsunagi-hellowork", "tsunagi-hub");

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.SUPPORT_MEETING_NOT_MEMBER);
            assertThat(decision.field()).isEqualTo("/sender");
        }

        @Test
        void a_meeting_that_is_not_registered_is_refused() {
            Message message = sample("F8-hub-to-welfare");
            SupportMeeting meeting = new SupportMeeting();
            meeting.setMeetingId("SM-2026-0002");
            message.getReferral().getBasis().setSupportMeeting(meeting);

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.SUPPORT_MEETING_UNKNOWN);
            assertThat(decision.field()).isEqualTo("/referral/basis/supportMeeting/meetingId");
        }

        @Test
        void members_of_the_meeting_other_than_the_hub_share_directly() {
            Message message = readdressed(sample("F8-hub-to-welfare"), "tsunagi-welfare", "tsunagi-houkatsu");

            assertThat(decide(message).code()).isEqualTo(PolicyCodes.LAWFUL_SUPPORT_MEETING);
        }
    }

    @Nested
    class Vital_interest {
        @Test
        void a_justified_vital_interest_referral_is_allowed_and_flagged_for_review() {
            Decision decision = decide(sample("F8-houkatsu-to-hub"));

            assertThat(decision.allowed()).as(decision.rule()).isTrue();
            assertThat(decision.code()).isEqualTo(PolicyCodes.LAWFUL_VITAL_INTEREST);
            assertThat(decision.reviewRequired()).isTrue();
            assertThat(decision.basis()).isEqualTo(LegalBasis.VITAL_INTEREST);
            assertThat(decision.allowedCategories()).contains(DataCategory.HEALTH, DataCategory.CARE)
                    .doesNotContain(DataCategory.TAX_ARREARS);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "緊急のため。"})
        void a_vital_interest_referral_without_a_real_justification_is_refused(String justification) {
            Message message = sample("F8-houkatsu-to-hub");
            message.getReferral().getBasis().getVitalInterest().setJustification(justification);

            Decision decision = decide(message);

            assertThat(decision.code()).isEqualTo(PolicyCodes.VITAL_INTEREST_JUSTIFICATION_MISSING);
            assertThat(decision.field()).isEqualTo("/referral/basis/vitalInterest/justification");
            assertThat(decision.reviewRequired()).isFalse();
        }

        @Test
        void tax_data_under_vital_interest_is_refused() {
            Message message = sample("F8-houkatsu-to-hub");
            addTaxArrears(message);

            assertThat(decide(message).code()).isEqualTo(PolicyCodes.CONSENT_TAX_REQUIRES_CONSENT);
        }
    }

    @Nested
    class Explanations {
        @Test
        void no_decision_contains_personal_data_from_the_message() {
            String canaryName = "鳥居坂カナリア";
            String canaryPhone = "090-0000-4242";
            List<Message> variants = new ArrayList<>();
            for (String prefix : List.of("F1-", "F3-", "F5-", "F8-hub-to-welfare", "F8-houkatsu-to-hub")) {
                for (int variant = 0; variant < 6; variant++) {
                    Message m = sample(prefix);
                    m.getReferral().getSubject().getName().setFamily(canaryName);
                    m.getReferral().setChiefComplaint(canaryName + " " + canaryPhone);
                    Basis basis = m.getReferral().getBasis();
                    switch (variant) {
                        case 1 -> m.getReferral().setPurpose(Purpose.ASSESSMENT);
                        case 2 -> addTaxArrears(m);
                        case 3 -> m.getReferral().setHealth(note(canaryName + "の通院歴"));
                        case 4 -> readdressed(m, m.getSender(), "tsunagi-hellowork");
                        case 5 -> {
                            if (basis.getConsent() != null) {
                                basis.getConsent().setExpiresAt(Samples.NOW_JST.minusDays(1));
                            } else if (basis.getVitalInterest() != null) {
                                basis.getVitalInterest().setJustification(canaryName);
                            }
                        }
                        default -> { }
                    }
                    variants.add(m);
                }
            }
            List<Decision> decisions = variants.stream().map(ConsentEngineTest.this::decide).toList();

            assertThat(decisions).extracting(Decision::code).contains(PolicyCodes.LAWFUL_CONSENT,
                    PolicyCodes.CONSENT_PURPOSE_NOT_NAMED, PolicyCodes.CONSENT_TAX_REQUIRES_CONSENT,
                    PolicyCodes.CONSENT_SENSITIVE_NOT_NAMED, PolicyCodes.ROUTE_NOT_ALLOWED, PolicyCodes.CONSENT_EXPIRED,
                    PolicyCodes.VITAL_INTEREST_JUSTIFICATION_MISSING);
            for (Decision decision : decisions) {
                assertThat(decision.toString()).doesNotContain(canaryName, canaryPhone, "090-", "CNS-2026");
            }
        }

        @Test
        void every_decision_names_a_rule_and_a_law_or_the_policy() {
            for (String prefix : List.of("F1-", "F8-hub-to-welfare", "F8-houkatsu-to-hub", "F9-hub-to-tax")) {
                Decision decision = decide(sample(prefix));
                assertThat(decision.rule()).containsAnyOf("Act", "APPI", "policy", "lifecycle");
            }
        }

        @Test
        void a_refused_decision_allows_no_category() {
            Message message = sample("F3-");
            consentOf(message).setExpiresAt(Samples.NOW_JST.minusDays(1));

            assertThat(decide(message).allowedCategories()).isEmpty();
        }
    }

    @Nested
    class Who_gave_consent {
        private Message givenBy(ConsentGiver giver, RepresentativeKind kind, String evidenceRef) {
            Message message = sample("F2-");
            consentOf(message).setGivenBy(giver);
            if (kind != null) {
                Representative representative = new Representative();
                representative.setKind(kind);
                representative.setEvidenceRef(evidenceRef);
                consentOf(message).setRepresentative(representative);
            }
            return message;
        }

        @Test
        void a_fathers_consent_for_his_adult_son_is_refused() {
            Decision decision = decide(givenBy(ConsentGiver.RELATIVE, null, null));

            assertThat(decision.allowed()).isFalse();
            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_GIVER_NOT_ENTITLED);
            assertThat(decision.field()).isEqualTo("/referral/basis/consent/givenBy");
        }

        @Test
        void a_father_claiming_parental_authority_over_his_adult_son_is_refused() {
            Decision decision = decide(givenBy(ConsentGiver.LEGAL_REPRESENTATIVE, RepresentativeKind.PARENTAL_AUTHORITY,
                    "KOSEKI-2026-0042"));

            assertThat(decision.code()).isEqualTo(PolicyCodes.CONSENT_GIVER_NOT_ENTITLED);
            assertThat(decision.field()).isEqualTo("/referral/basis/consent/representative/kind");
        }

        @Test
        void a_legal_representative_as_schema_1_0_knew_it_without_kind_or_evidence_is_refused() {
            assertThat(decide(givenBy(ConsentGiver.LEGAL_REPRESENTATIVE, null, null)).code())
                    .isEqualTo(PolicyCodes.CONSENT_REPRESENTATIVE_UNPROVEN);
            assertThat(decide(givenBy(ConsentGiver.LEGAL_REPRESENTATIVE, RepresentativeKind.CURATOR, null)).code())
                    .isEqualTo(PolicyCodes.CONSENT_REPRESENTATIVE_UNPROVEN);
        }

        @Test
        void a_guardians_consent_with_the_registry_certificate_number_is_accepted() {
            Decision decision = decide(givenBy(ConsentGiver.LEGAL_REPRESENTATIVE, RepresentativeKind.ADULT_GUARDIAN,
                    "TOKI-2026-123456"));

            assertThat(decision.allowed()).isTrue();
            assertThat(decision.code()).isEqualTo(PolicyCodes.LAWFUL_CONSENT);
        }

        @Test
        void parental_authority_holds_until_the_day_before_the_18th_birthday() {
            Message minor = givenBy(ConsentGiver.LEGAL_REPRESENTATIVE, RepresentativeKind.PARENTAL_AUTHORITY, "KOSEKI-1");
            minor.getReferral().getSubject().setBirthDate(Samples.NOW_JST.toLocalDate().minusYears(18).plusDays(1));
            Message adult = givenBy(ConsentGiver.LEGAL_REPRESENTATIVE, RepresentativeKind.PARENTAL_AUTHORITY, "KOSEKI-1");
            adult.getReferral().getSubject().setBirthDate(Samples.NOW_JST.toLocalDate().minusYears(18));

            assertThat(decide(minor).code()).isEqualTo(PolicyCodes.LAWFUL_CONSENT);
            assertThat(decide(adult).code()).isEqualTo(PolicyCodes.CONSENT_GIVER_NOT_ENTITLED);
        }
    }
}
