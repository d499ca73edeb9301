package jp.tsunagi.gateway.policy;

import static jp.tsunagi.gateway.policy.Samples.NOW;
import static jp.tsunagi.gateway.policy.Samples.recipientOf;
import static jp.tsunagi.gateway.policy.Samples.sample;
import static jp.tsunagi.gateway.policy.Samples.senderOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.Consent;
import jp.tsunagi.schema.model.ConsentGiver;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.Issue;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.Representative;
import jp.tsunagi.schema.model.RepresentativeKind;
import jp.tsunagi.schema.model.SupportMeeting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the decisions table of docs/policy.md (section 2, "Decisions") against the consent engine: each row's
 * situation is built here from a sample and decided; the row's code must be the engine's. A row without a situation
 * here, or a situation here without a row, fails, so the document and the engine cannot drift apart.
 */
class ConsentDecisionsTableTest {
    private static final Path DOC = Path.of("../docs/policy.md");
    private static final String HEADER = "| situation | rule | statute | code |";

    private final InMemoryConsentLedger ledger = new InMemoryConsentLedger();
    private final ConsentEngine engine = new ConsentEngine(Samples.policy(), ledger);

    /** One row of the table. */
    record Row(String situation, String rule, String statute, String code) {
        @Override
        public String toString() {
            return situation;
        }
    }

    static List<Row> rows() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int header = lines.indexOf(HEADER);
        assertThat(header).as("the decisions table of docs/policy.md").isNotNegative();
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(header + 2, lines.size())) {
            if (!line.startsWith("|")) {
                break;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            assertThat(cells).as(line).hasSize(4);
            rows.add(new Row(cells[0].strip(), cells[1].strip(), cells[2].strip(), cells[3].strip().replace("`", "")));
        }
        return rows;
    }

    static Stream<Arguments> table() throws IOException {
        return rows().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void the_engine_decides_each_row_of_the_documented_table_with_its_code(Row row) {
        Function<ConsentDecisionsTableTest, String> situation = situations().get(row.situation());
        assertThat(situation).as("no situation in this test for the documented row \"%s\"", row.situation()).isNotNull();
        assertThat(row.rule()).isNotEmpty();
        assertThat(row.statute()).isNotEmpty();

        assertThat(situation.apply(this)).isEqualTo(row.code());
    }

    @Test
    void every_situation_of_this_test_is_a_row_of_the_documented_table() throws IOException {
        assertThat(rows()).extracting(Row::situation).containsExactlyInAnyOrderElementsOf(situations().keySet());
    }

    /** Each documented situation, built from the samples, and the code the engine gives it. */
    private static Map<String, Function<ConsentDecisionsTableTest, String>> situations() {
        Map<String, Function<ConsentDecisionsTableTest, String>> s = new LinkedHashMap<>();
        s.put("the person's own consent names the recipient, the purpose and every category carried",
                t -> t.code(sample("F2-")));
        s.put("no flow connects the sender's type to the recipient's type", t -> {
            Message m = sample("F1-");
            m.setRecipient("tsunagi-hellowork");
            return t.code(m);
        });
        s.put("the referral names no basis", t -> {
            Message m = sample("F2-");
            m.getReferral().setBasis(new Basis());
            return t.code(m);
        });
        s.put("a basis the route does not allow (a support meeting from the tax desk)", t -> {
            Message m = sample("F1-");
            m.getReferral().setBasis(meeting("SM-2026-0001"));
            return t.code(m);
        });
        s.put("the consent was given by a relative (a father for his adult son)",
                t -> t.code(given(sample("F2-"), ConsentGiver.RELATIVE, null, null)));
        s.put("a legal representative who states no kind",
                t -> t.code(given(sample("F2-"), ConsentGiver.LEGAL_REPRESENTATIVE, null, null)));
        s.put("a guardian (成年後見人) without the evidence reference",
                t -> t.code(given(sample("F2-"), ConsentGiver.LEGAL_REPRESENTATIVE, RepresentativeKind.ADULT_GUARDIAN, null)));
        s.put("a person with parental authority (親権者) for an adult",
                t -> t.code(given(sample("F2-"), ConsentGiver.LEGAL_REPRESENTATIVE, RepresentativeKind.PARENTAL_AUTHORITY,
                        "KOSEKI-2026-0042")));
        s.put("a person with parental authority (親権者) for a minor, with evidence", t -> {
            Message m = given(sample("F2-"), ConsentGiver.LEGAL_REPRESENTATIVE, RepresentativeKind.PARENTAL_AUTHORITY,
                    "KOSEKI-2026-0042");
            m.getReferral().getSubject().setBirthDate(LocalDate.of(2010, 4, 2));
            return t.code(m);
        });
        s.put("a guardian (成年後見人) with the evidence reference",
                t -> t.code(given(sample("F2-"), ConsentGiver.LEGAL_REPRESENTATIVE, RepresentativeKind.ADULT_GUARDIAN,
                        "TOKI-2026-123456")));
        s.put("the consent has expired", t -> {
            Message m = sample("F2-");
            consent(m).setExpiresAt(OffsetDateTime.parse("2026-11-01T00:00:00+09:00"));
            return t.code(m);
        });
        s.put("the person has withdrawn the consent", t -> {
            Message m = sample("F2-");
            t.ledger.withdraw(consent(m).getConsentId(), NOW);
            return t.code(m);
        });
        s.put("the consent names neither the recipient's id nor its type", t -> {
            Message m = sample("F2-");
            consent(m).getRecipients().get(0).setAgencyId("tsunagi-welfare");
            return t.code(m);
        });
        s.put("the consent does not name the referral's purpose", t -> {
            Message m = sample("F2-");
            consent(m).getPurposes().remove(m.getReferral().getPurpose());
            return t.code(m);
        });
        s.put("a 税・料金滞納 issue code under a consent that does not name TAX_ARREARS", t -> {
            Message m = sample("F2-");
            m.getReferral().getIssues().add(Issue.TAX_FEE_ARREARS);
            return t.code(m);
        });
        s.put("a 税・料金滞納 issue code on a vital-interest basis", t -> {
            Message m = sample("F8-houkatsu");
            m.getReferral().getIssues().add(Issue.TAX_FEE_ARREARS);
            return t.code(m);
        });
        s.put("a 病気 issue code under a consent that does not name HEALTH", t -> {
            Message m = sample("F2-");
            m.getReferral().getIssues().add(Issue.ILLNESS);
            return t.code(m);
        });
        s.put("a DV・虐待 issue code under a consent that does not name CHILD_WELFARE", t -> {
            Message m = sample("F2-");
            m.getReferral().getIssues().add(Issue.DOMESTIC_VIOLENCE_ABUSE);
            return t.code(m);
        });
        s.put("a category carried that the consent does not name (employment)", t -> {
            Message m = sample("F2-");
            consent(m).getDataCategories().remove(DataCategory.EMPLOYMENT);
            return t.code(m);
        });
        s.put("members of a registered support meeting", t -> t.code(sample("F8-hub")));
        s.put("a support meeting that is not registered", t -> {
            Message m = sample("F8-hub");
            m.getReferral().setBasis(meeting("SM-2026-0099"));
            return t.code(m);
        });
        s.put("a vital-interest basis with a written justification", t -> t.code(sample("F8-houkatsu")));
        s.put("a vital-interest basis justified in fewer than 20 characters", t -> {
            Message m = sample("F8-houkatsu");
            m.getReferral().getBasis().getVitalInterest().setJustification("急を要する");
            return t.code(m);
        });
        s.put("member: a household member with no basis of her own", t -> t.memberCode(sample("F5-"), 1));
        s.put("member: a household member on her own consent naming the recipient", t -> t.memberCode(sample("F5-"), 0));
        s.put("member: a household member whose consent was given by a relative", t -> {
            Message m = sample("F5-");
            m.getReferral().getHousehold().get(0).getBasis().getConsent().setGivenBy(ConsentGiver.RELATIVE);
            return t.memberCode(m, 0);
        });
        return s;
    }

    private String code(Message message) {
        return decide(message).code();
    }

    private String memberCode(Message message, int member) {
        Decision decision = decide(message);
        assertThat(decision.allowed()).as("the referral itself goes on").isTrue();
        return decision.members().get(member).code();
    }

    private Decision decide(Message message) {
        return engine.decide(message, senderOf(message), recipientOf(message), NOW);
    }

    private static Consent consent(Message message) {
        return message.getReferral().getBasis().getConsent();
    }

    private static Message given(Message message, ConsentGiver giver, RepresentativeKind kind, String evidenceRef) {
        consent(message).setGivenBy(giver);
        if (kind != null) {
            Representative representative = new Representative();
            representative.setKind(kind);
            representative.setEvidenceRef(evidenceRef);
            consent(message).setRepresentative(representative);
        }
        return message;
    }

    private static Basis meeting(String meetingId) {
        SupportMeeting meeting = new SupportMeeting();
        meeting.setMeetingId(meetingId);
        Basis basis = new Basis();
        basis.setSupportMeeting(meeting);
        return basis;
    }
}
