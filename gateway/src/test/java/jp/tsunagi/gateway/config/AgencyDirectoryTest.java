package jp.tsunagi.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import jp.tsunagi.schema.model.AgencyType;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.signature.KeyMaterial;
import jp.tsunagi.schema.signature.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgencyDirectoryTest {
    /** The default configuration of the project, beside this module. */
    private static final Path DEFAULT_AGENCIES = Path.of("../conf/agencies.yaml");

    private static final String VALID = """
            gateway:
              id: gateway
              name: ゲートウェイ
              keys:
                - kid: "gateway#1"
                  pem: keys/gateway.pub.pem
            agencies:
              - id: tsunagi-hub
                name: つなぎ市自立相談支援センター
                type: SELF_RELIANCE_SUPPORT
                municipality: "139998"
                keys:
                  - kid: "tsunagi-hub#1"
                    pem: keys/tsunagi-hub.pub.pem
                connector: {kind: http, endpoint: "http://127.0.0.1:18081/"}
                accepts: [REFERRAL, STATUS_UPDATE]
              - id: tsunagi-tax
                name: つなぎ市税務課
                type: TAX_DESK
                municipality: "139998"
                keys:
                  - kid: "tsunagi-tax#1"
                    pem: keys/tsunagi-tax.pub.pem
                connector: {kind: http, endpoint: "http://127.0.0.1:18085/"}
                accepts: [REFERRAL]
            """;

    @TempDir
    Path dir;

    @Test
    void the_default_configuration_registers_the_gateway_and_one_agency_of_each_first_class_type() {
        AgencyDirectory agencies = AgencyDirectory.load(DEFAULT_AGENCIES);

        assertThat(agencies.gateway().id()).isEqualTo("gateway");
        assertThat(agencies.agencies()).extracting(Agency::id).containsExactly(
                "tsunagi-hub", "tsunagi-welfare", "tsunagi-hellowork", "tsunagi-houkatsu", "tsunagi-tax");
        assertThat(agencies.agencies()).extracting(Agency::type).containsExactly(
                AgencyType.SELF_RELIANCE_SUPPORT, AgencyType.WELFARE_OFFICE, AgencyType.HELLO_WORK,
                AgencyType.COMMUNITY_GENERAL_SUPPORT, AgencyType.TAX_DESK);
        assertThat(agencies.agencies()).allSatisfy(a -> {
            assertThat(a.municipality()).isEqualTo("139998");
            assertThat(a.keys()).extracting(AgencyKey::kid).containsExactly(a.id() + "#1");
            assertThat(a.keys().get(0).pem()).isEqualTo(Path.of("data/keys/" + a.id() + ".pub.pem"));
            assertThat(a.accepts()).contains(MessageType.REFERRAL, MessageType.STATUS_UPDATE, MessageType.CONSENT_WITHDRAWAL);
        });
        assertThat(agencies.agency("tsunagi-hub").orElseThrow().name()).isEqualTo("つなぎ市自立相談支援センター");
        // the hub speaks the shared schema; the others are reached through their routes, in their own formats
        assertThat(agencies.agencies()).extracting(a -> a.connector().kind() + " " + a.connector().endpoint()).containsExactly(
                "http http://127.0.0.1:18081/tsunagi/messages", "route direct:welfare-out",
                "route direct:hellowork-out", "route direct:houkatsu-out",
                "route direct:tax-desk-out");
    }

    @Test
    void an_agency_signs_with_its_first_kid_and_an_unknown_agency_is_refused() throws IOException {
        AgencyDirectory agencies = load(VALID);

        assertThat(agencies.signingKid("tsunagi-tax")).isEqualTo("tsunagi-tax#1");
        assertThat(agencies.signingKid("gateway")).isEqualTo("gateway#1");
        assertThatThrownBy(() -> agencies.signingKid("tsunagi-nowhere"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown agency \"tsunagi-nowhere\"");
    }

    @Test
    void the_key_resolver_knows_the_kids_whose_pem_exists_and_no_other() throws IOException {
        KeyMaterial.writeFiles(dir.resolve("keys"), "tsunagi-tax", "税務課");
        AgencyDirectory agencies = load(VALID);

        var resolver = agencies.keyResolver();

        assertThat(resolver.find("tsunagi-tax#1")).isPresent();
        assertThat(resolver.find("tsunagi-hub#1")).as("its PEM file does not exist yet").isEmpty();
        assertThat(resolver.find("tsunagi-tax#2")).isEmpty();
    }

    @Test
    void the_current_keys_are_those_the_pem_files_hold_at_each_lookup_even_when_a_file_is_created_or_replaced_while_running()
            throws IOException {
        AgencyDirectory agencies = load(VALID);
        var resolver = agencies.currentKeys();
        assertThat(resolver.find("tsunagi-tax#1")).as("its PEM file does not exist yet").isEmpty();

        KeyMaterial.writeFiles(dir.resolve("keys"), "tsunagi-tax", "税務課");
        PublicKey created = resolver.find("tsunagi-tax#1").orElseThrow();
        Path pem = KeyMaterial.publicKeyFile(dir.resolve("keys"), "tsunagi-tax");
        assertThat(created).isEqualTo(Pem.readPublicKey(pem));

        Files.writeString(pem, Pem.encode(KeyMaterial.generateP256().getPublic()), StandardCharsets.US_ASCII);
        assertThat(resolver.find("tsunagi-tax#1")).as("the file replaced: its new key")
                .contains(Pem.readPublicKey(pem)).isNotEqualTo(java.util.Optional.of(created));
        assertThat(resolver.find("tsunagi-tax#2")).isEmpty();
    }

    @Test
    void a_municipality_code_with_a_wrong_check_digit_is_reported_with_file_line_and_the_expected_digit() throws IOException {
        String yaml = VALID.replaceFirst("\"139998\"", "\"139990\"");

        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("agencies.yaml, line 11: ")
                .hasMessageContaining("agency \"tsunagi-hub\": municipality \"139990\" is not a valid local government code")
                .hasMessageContaining("after 13999 it is 8");
    }

    @Test
    void an_unknown_agency_type_is_reported_with_its_line_and_the_allowed_types() throws IOException {
        String yaml = VALID.replace("type: TAX_DESK", "type: TAX_OFFICE");

        assertThatThrownBy(() -> load(yaml))
                .hasMessageContaining("agencies.yaml, line 19: agencies[1].type: unknown value \"TAX_OFFICE\"")
                .hasMessageContaining("TAX_DESK");
    }

    @Test
    void an_unknown_key_is_reported_with_its_line_and_the_allowed_keys() throws IOException {
        String yaml = VALID.replace("    accepts: [REFERRAL]\n", "    accepts: [REFERRAL]\n    phone: 03-0000-0000\n");

        assertThatThrownBy(() -> load(yaml))
                .hasMessageContaining("agencies.yaml, line 26: unknown key \"phone\" in agencies[1]")
                .hasMessageContaining("allowed: accepts, connector, id, keys, municipality, name, suspended, type");
    }

    @Test
    void a_key_written_twice_in_one_section_is_refused() throws IOException {
        String yaml = VALID.replace("    type: TAX_DESK\n", "    type: TAX_DESK\n    type: HELLO_WORK\n");

        assertThatThrownBy(() -> load(yaml))
                .hasMessageContaining("agencies.yaml, line 20: ")
                .hasMessageContaining("\"type\" appears twice");
    }

    @Test
    void an_agency_id_used_twice_and_a_kid_of_another_agency_are_both_reported() throws IOException {
        String yaml = VALID.replace("id: tsunagi-tax", "id: tsunagi-hub").replace("kid: \"tsunagi-tax#1\"", "kid: \"tsunagi-hub#1\"");

        assertThatThrownBy(() -> load(yaml))
                .hasMessageContaining("line 17: agency \"tsunagi-hub\": the id is used twice (also agencies[0])")
                .hasMessageContaining("line 22: agency \"tsunagi-hub\": kid \"tsunagi-hub#1\" is registered twice");
    }

    @Test
    void a_kid_not_of_the_form_id_hash_number_is_refused() throws IOException {
        String yaml = VALID.replace("kid: \"tsunagi-tax#1\"", "kid: \"tax-key-1\"");

        assertThatThrownBy(() -> load(yaml))
                .hasMessageContaining("line 22: agency \"tsunagi-tax\": kid \"tax-key-1\" must be of the form tsunagi-tax#<n>");
    }

    @Test
    void broken_yaml_is_reported_with_its_line() throws IOException {
        String yaml = VALID.replace("    accepts: [REFERRAL]\n", "    accepts: [REFERRAL\n");

        assertThatThrownBy(() -> load(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("(?s).*agencies\\.yaml, line \\d+: .*");
    }

    @Test
    void a_missing_file_is_named() {
        assertThatThrownBy(() -> AgencyDirectory.load(dir.resolve("agencies.yaml")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("agencies.yaml: no such file");
    }

    @Test
    void missing_required_fields_are_all_reported_at_once() throws IOException {
        String yaml = VALID.replace("    name: つなぎ市税務課\n", "").replace("    accepts: [REFERRAL]\n", "");

        assertThatThrownBy(() -> load(yaml))
                .hasMessageContaining("agency \"tsunagi-tax\": missing \"name\"")
                .hasMessageContaining("agency \"tsunagi-tax\": \"accepts\" lists at least one message type");
    }

    @Test
    void a_suspended_agency_is_read_with_its_date_and_reason_and_the_others_are_not_suspended() throws IOException {
        AgencyDirectory agencies = load(suspendTax("since: 2026-12-01T09:00:00+09:00", "reason: 端末のウイルス感染の調査中"));

        assertThat(agencies.suspended()).extracting(Agency::id).containsExactly("tsunagi-tax");
        assertThat(agencies.suspendedIds()).containsExactly("tsunagi-tax");
        assertThat(agencies.agency("tsunagi-tax").orElseThrow().suspended())
                .isEqualTo(new Suspension("2026-12-01T09:00:00+09:00", "端末のウイルス感染の調査中"));
        assertThat(agencies.agency("tsunagi-hub").orElseThrow().isSuspended()).isFalse();
        assertThat(load(suspendTax("since: 2026-12-01", "reason: 協定の期間満了")).suspended()).hasSize(1);
        assertThat(load(VALID).suspended()).isEmpty();
    }

    @Test
    void a_suspension_without_a_valid_date_or_a_reason_is_reported_with_its_line() throws IOException {
        assertThatThrownBy(() -> load(suspendTax("since: 12/1", "reason: 協定の期間満了")))
                .hasMessageContaining("agencies.yaml, line 27: agency \"tsunagi-tax\": suspended.since \"12/1\" is neither a date");
        assertThatThrownBy(() -> load(suspendTax("since: 2026-12-01", "note: 協定の期間満了")))
                .hasMessageContaining("agencies.yaml, line 28: unknown key \"note\" in agencies[1].suspended (allowed: reason, since)");
        assertThatThrownBy(() -> load(suspendTax("since: 2026-12-01", "reason: \"\"")))
                .hasMessageContaining("agency \"tsunagi-tax\": missing \"suspended.reason\"");
    }

    @Test
    void an_empty_suspended_key_is_refused_rather_than_read_as_not_suspended() throws IOException {
        assertThatThrownBy(() -> load(VALID + "    suspended:\n"))
                .hasMessageContaining("agencies.yaml, line 26: agency \"tsunagi-tax\": \"suspended\" is empty");
    }

    /** The tax desk of {@link #VALID} with a suspended block (lines 26-28). */
    private static String suspendTax(String since, String reason) {
        return VALID + "    suspended:\n      " + since + "\n      " + reason + "\n";
    }

    private AgencyDirectory load(String yaml) throws IOException {
        Path file = dir.resolve("agencies.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return AgencyDirectory.load(file, dir);
    }
}
