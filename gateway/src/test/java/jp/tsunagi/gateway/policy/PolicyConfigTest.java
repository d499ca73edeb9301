package jp.tsunagi.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jp.tsunagi.schema.model.AgencyType;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;
import jp.tsunagi.schema.model.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyConfigTest {
    private static final Path FILE = Path.of("conf/policy.yaml");

    private static final String VALID = """
            flows:
              - id: F1
                description: 税務担当部局 -> 自立相談支援機関
                from: TAX_DESK
                to: [SELF_RELIANCE_SUPPORT]
                messageTypes: [REFERRAL]
                bases: [CONSENT]
              - id: F9
                from: SELF_RELIANCE_SUPPORT
                to: [TAX_DESK]
                messageTypes: [STATUS_UPDATE]
            ceilings:
              SELF_RELIANCE_SUPPORT: [IDENTITY, ISSUES, TAX_ARREARS]
              TAX_DESK: [NARRATIVE]
            supportMeetings:
              - id: SM-2026-1
                name: 支援会議
                basis: NEEDY_PERSONS_ACT_ART9
                members: [tsunagi-hub, tsunagi-welfare]
            """;

    @TempDir
    Path dir;

    private static PolicyConfig read(String yaml) {
        return PolicyConfig.read(yaml.getBytes(StandardCharsets.UTF_8), FILE);
    }

    private static String problemOf(String yaml) {
        try {
            read(yaml);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void a_valid_file_gives_its_flows_ceilings_and_meetings() {
        PolicyConfig policy = read(VALID);

        assertThat(policy.flows()).extracting(AllowedFlow::id).containsExactly("F1", "F9");
        assertThat(policy.flowsBetween(AgencyType.TAX_DESK, AgencyType.SELF_RELIANCE_SUPPORT)).hasSize(1);
        assertThat(policy.flowsBetween(AgencyType.SELF_RELIANCE_SUPPORT, AgencyType.HELLO_WORK)).isEmpty();
        assertThat(policy.ceiling(AgencyType.TAX_DESK)).containsExactly(DataCategory.NARRATIVE);
        assertThat(policy.ceiling(AgencyType.HELLO_WORK)).isEmpty();
        assertThat(policy.supportMeeting("SM-2026-1")).get().extracting(RegisteredSupportMeeting::members)
                .isEqualTo(List.of("tsunagi-hub", "tsunagi-welfare"));
        assertThat(policy.supportMeeting("SM-2026-2")).isEmpty();
        assertThat(policy.supportMeeting(null)).isEmpty();
    }

    @Test
    void the_default_policy_loads_and_fits_the_default_agencies() {
        PolicyConfig policy = PolicyConfig.inConfDirectory(Path.of("../conf"));

        assertThat(policy.validate(Samples.agencies())).isEmpty();
    }

    @Test
    void the_default_policy_connects_the_hub_with_every_first_class_agency_type_both_ways() {
        PolicyConfig policy = Samples.policy();
        AgencyType hub = AgencyType.SELF_RELIANCE_SUPPORT;

        for (AgencyType spoke : List.of(AgencyType.WELFARE_OFFICE, AgencyType.HELLO_WORK,
                AgencyType.COMMUNITY_GENERAL_SUPPORT, AgencyType.TAX_DESK)) {
            for (List<AgencyType> route : List.of(List.of(spoke, hub), List.of(hub, spoke))) {
                List<AllowedFlow> flows = policy.flowsBetween(route.get(0), route.get(1));
                assertThat(flows).as("%s", route).isNotEmpty();
                assertThat(flows.stream().flatMap(f -> f.messageTypes().stream()))
                        .contains(MessageType.REFERRAL, MessageType.STATUS_UPDATE, MessageType.CONSENT_WITHDRAWAL);
                assertThat(flows.stream().flatMap(f -> f.bases().stream())).contains(LegalBasis.CONSENT);
            }
        }
    }

    @Test
    void the_default_policy_lets_tax_information_travel_only_to_the_hub() {
        PolicyConfig policy = Samples.policy();

        for (AgencyType type : AgencyType.values()) {
            assertThat(policy.ceiling(type).contains(DataCategory.TAX_ARREARS))
                    .as("%s", type).isEqualTo(type == AgencyType.SELF_RELIANCE_SUPPORT);
        }
        assertThat(policy.flowsBetween(AgencyType.TAX_DESK, AgencyType.SELF_RELIANCE_SUPPORT).get(0).bases())
                .containsExactly(LegalBasis.CONSENT);
    }

    @Test
    void the_default_ceiling_of_hello_work_excludes_health_disability_tax_care_and_child_welfare() {
        assertThat(Samples.policy().ceiling(AgencyType.HELLO_WORK)).doesNotContain(DataCategory.HEALTH,
                DataCategory.DISABILITY, DataCategory.TAX_ARREARS, DataCategory.CARE, DataCategory.CHILD_WELFARE);
    }

    @Test
    void the_default_ceiling_of_the_tax_desk_is_identity_issues_narrative_and_contact() {
        assertThat(Samples.policy().ceiling(AgencyType.TAX_DESK)).containsExactlyInAnyOrder(DataCategory.IDENTITY,
                DataCategory.ISSUES, DataCategory.NARRATIVE, DataCategory.CONTACT);
    }

    @Test
    void the_default_support_meeting_has_the_hub_the_welfare_office_and_the_care_center() {
        assertThat(Samples.policy().supportMeeting("SM-2026-0001")).get()
                .extracting(RegisteredSupportMeeting::members)
                .isEqualTo(List.of("tsunagi-hub", "tsunagi-welfare", "tsunagi-houkatsu"));
    }

    @Test
    void a_meeting_member_that_is_not_a_registered_agency_is_reported_with_file_and_line() {
        PolicyConfig policy = read(VALID.replace("tsunagi-welfare]", "tsunagi-welfre]"));

        List<String> problems = policy.validate(Samples.agencies());

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith(FILE + ", line 19: ").contains("SM-2026-1", "tsunagi-welfre", "agencies.yaml");
    }

    @Test
    void an_unknown_key_is_refused_with_file_line_and_the_allowed_keys() {
        assertThat(problemOf(VALID.replace("    bases: [CONSENT]", "    bases: [CONSENT]\n    basis: [CONSENT]")))
                .startsWith(FILE + ", line 8: ").contains("unknown key \"basis\"", "flows[0]", "bases, description");
    }

    @Test
    void a_key_written_twice_is_refused_with_its_line() {
        assertThat(problemOf(VALID.replace("  TAX_DESK: [NARRATIVE]", "  TAX_DESK: [NARRATIVE]\n  TAX_DESK: [IDENTITY]")))
                .isEqualTo(FILE + ", line 15: \"TAX_DESK\" appears twice in the same section");
    }

    @Test
    void a_value_outside_the_code_lists_is_refused_with_the_allowed_values() {
        assertThat(problemOf(VALID.replace("bases: [CONSENT]", "bases: [OPT_OUT]")))
                .startsWith(FILE + ", line 7: ").contains("unknown value \"OPT_OUT\"", "SUPPORT_MEETING");
        assertThat(problemOf(VALID.replace("TAX_DESK: [NARRATIVE]", "TAX_OFFICE: [NARRATIVE]")))
                .contains("unknown value \"TAX_OFFICE\"");
    }

    @Test
    void a_recipient_type_without_a_ceiling_is_refused() {
        assertThat(problemOf(VALID.replace("  TAX_DESK: [NARRATIVE]\n", "")))
                .contains("flow \"F9\": sends to TAX_DESK, which has no entry under \"ceilings\"");
    }

    @Test
    void a_ceiling_of_a_referral_recipient_without_identity_and_issues_is_refused() {
        assertThat(problemOf(VALID.replace("[IDENTITY, ISSUES, TAX_ARREARS]", "[ISSUES, TAX_ARREARS]")))
                .startsWith(FILE + ", line 13: ").contains("must include IDENTITY and ISSUES");
    }

    @Test
    void a_referral_flow_without_bases_and_bases_without_referrals_are_refused() {
        String problems = problemOf(VALID.replace("    bases: [CONSENT]\n", "")
                .replace("messageTypes: [STATUS_UPDATE]", "messageTypes: [STATUS_UPDATE]\n    bases: [CONSENT]"));

        assertThat(problems.lines()).hasSize(2);
        assertThat(problems).contains("flow \"F1\": carries REFERRAL, so \"bases\" lists at least one")
                .contains("flow \"F9\": \"bases\" apply to REFERRAL only");
    }

    @Test
    void a_flow_id_used_twice_and_a_flow_without_from_are_refused() {
        String problems = problemOf(VALID.replace("id: F9", "id: F1").replace("    from: SELF_RELIANCE_SUPPORT\n", ""));

        assertThat(problems).contains("flow \"F1\": the id is used twice").contains("missing \"from\"");
    }

    @Test
    void a_meeting_with_one_member_or_a_malformed_member_is_refused() {
        assertThat(problemOf(VALID.replace("[tsunagi-hub, tsunagi-welfare]", "[tsunagi-hub]")))
                .contains("support meeting \"SM-2026-1\": \"members\" lists at least two agency ids");
        assertThat(problemOf(VALID.replace("tsunagi-welfare]", "Tsunagi Welfare]")))
                .startsWith(FILE + ", line 19: ").contains("is not an agency id");
    }

    @Test
    void a_meeting_that_declares_no_statute_is_refused_with_file_and_line() {
        assertThat(problemOf(VALID.replace("    basis: NEEDY_PERSONS_ACT_ART9\n", "")))
                .startsWith(FILE + ", line 16: ").contains("support meeting \"SM-2026-1\": missing \"basis\"",
                        "NEEDY_PERSONS_ACT_ART9", "SOCIAL_WELFARE_ACT_ART106_6", "重層的支援会議");
    }

    @Test
    void a_multi_layered_support_meeting_registered_as_if_it_were_statutory_is_refused_with_file_and_line() {
        assertThat(problemOf(VALID.replace("basis: NEEDY_PERSONS_ACT_ART9", "basis: MULTI_LAYERED_SUPPORT_MEETING")))
                .startsWith(FILE + ", line 18: ").contains("unknown value \"MULTI_LAYERED_SUPPORT_MEETING\"",
                        "NEEDY_PERSONS_ACT_ART9, SOCIAL_WELFARE_ACT_ART106_6");
    }

    @Test
    void the_statute_of_the_meeting_a_basis_names_is_known() {
        PolicyConfig policy = read(VALID.replace("basis: NEEDY_PERSONS_ACT_ART9", "basis: SOCIAL_WELFARE_ACT_ART106_6"));
        jp.tsunagi.schema.model.Basis basis = new jp.tsunagi.schema.model.Basis();
        jp.tsunagi.schema.model.SupportMeeting meeting = new jp.tsunagi.schema.model.SupportMeeting();
        meeting.setMeetingId("SM-2026-1");
        basis.setSupportMeeting(meeting);

        assertThat(policy.statuteOf(basis)).contains(RegisteredSupportMeeting.Statute.SOCIAL_WELFARE_ACT_ART106_6);
        meeting.setMeetingId("SM-2026-2");
        assertThat(policy.statuteOf(basis)).isEmpty();
        assertThat(policy.statuteOf(new jp.tsunagi.schema.model.Basis())).isEmpty();
    }

    @Test
    void a_repeated_list_item_is_refused() {
        assertThat(problemOf(VALID.replace("[IDENTITY, ISSUES, TAX_ARREARS]", "[IDENTITY, ISSUES, ISSUES]")))
                .contains("ISSUES is listed twice");
    }

    @Test
    void a_file_without_flows_is_refused_because_it_would_refuse_everything_silently() {
        assertThat(problemOf("ceilings: {}\n")).contains("no flows");
    }

    @Test
    void an_empty_or_missing_file_is_refused_with_its_name() throws IOException {
        Path empty = Files.writeString(dir.resolve("policy.yaml"), "# nothing yet\n");

        assertThatThrownBy(() -> PolicyConfig.load(empty)).hasMessage(empty + ": is empty; it needs the sections flows,"
                + " ceilings and supportMeetings");
        assertThatThrownBy(() -> PolicyConfig.inConfDirectory(dir.resolve("none")))
                .hasMessage(dir.resolve("none").resolve("policy.yaml") + ": no such file");
    }

    @Test
    void broken_yaml_is_refused_with_its_line_and_without_quoting_the_file() {
        assertThat(problemOf(VALID.replace("to: [TAX_DESK]", "to: [TAX_DESK"))).startsWith(FILE + ", line ")
                .doesNotContain("\n");
    }
}
