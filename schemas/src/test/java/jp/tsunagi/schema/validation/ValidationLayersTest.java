package jp.tsunagi.schema.validation;

import jp.tsunagi.schema.JapanTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import jp.tsunagi.schema.Samples;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.PersonName;
import org.junit.jupiter.api.Test;

class ValidationLayersTest {
    /** A canary person: these strings must never appear in a problem. */
    private static final String CANARY_NAME = "鳥羽カナリア";
    private static final String CANARY_KANA = "とばかなりあ";
    private static final String CANARY_PHONE = "090-0000-4649";

    private final MessageReader reader = new MessageReader(MessageReader.DEFAULT_MAX_BYTES,
            Clock.fixed(Instant.parse("2026-11-22T03:00:00Z"), JapanTime.ZONE));

    @Test
    void everySchemaErrorIsReportedWithItsJsonPointerNotJustTheFirst() {
        List<Problem> problems = problemsOf(json(m -> {
            kana(m).put("family", "やまだ");
            address(m).put("postalCode", "1980012");
            referral(m).put("urgency", "SOON");
        }));

        assertThat(problems).extracting(Problem::code).containsOnly(ProblemCode.SCHEMA_INVALID);
        assertThat(problems).extracting(Problem::path).contains(
                "/referral/subject/kana/family", "/referral/subject/address/postalCode", "/referral/urgency");
        assertThat(problems).filteredOn(p -> p.path().endsWith("/kana/family")).first()
                .extracting(Problem::detail).asString().contains("KanaText");
    }

    @Test
    void aMissingRequiredMemberAndAnUnknownMemberAreNamed() {
        List<Problem> problems = problemsOf(json(m -> {
            m.remove("referralId");
            m.put("colour", "blue");
        }));

        assertThat(problems).extracting(Problem::detail)
                .contains("missing required member 'referralId'", "unknown member 'colour'");
    }

    @Test
    void xmlSchemaErrorsAreReportedWithTheXPathOfTheElement() {
        String xml = new String(Samples.first("F1-", ".xml"), StandardCharsets.UTF_8)
                .replace("<postalCode>198-0012</postalCode>", "<postalCode>1980012</postalCode>");

        List<Problem> problems = problemsOf(xml.getBytes(StandardCharsets.UTF_8));

        assertThat(problems).extracting(Problem::path).contains("/message/referral/subject/address/postalCode");
        assertThat(problems).extracting(Problem::code).containsOnly(ProblemCode.SCHEMA_INVALID);
    }

    @Test
    void aLocalGovernmentCodeWithAWrongCheckDigitIsRefusedThoughItHasSixDigits() {
        List<Problem> problems = problemsOf(json(m -> address(m).put("municipalityCode", "139997")));

        assertThat(problems).containsExactly(Problem.of(ProblemCode.FIELD_MUNICIPALITY_CODE,
                "/referral/subject/address/municipalityCode",
                "not a valid local government code (prefecture 01-47 and check digit)"));
    }

    @Test
    void aBirthDateInTheFutureIsRefused() {
        List<Problem> problems = problemsOf(json(m -> subject(m).put("birthDate", "2030-01-01")));

        assertThat(problems).extracting(Problem::code, Problem::path)
                .containsExactly(tuple(ProblemCode.FIELD_DATE_IN_FUTURE, "/referral/subject/birthDate"));
    }

    @Test
    void aConsentThatDoesNotNameTaxArrearsCannotCarryThem() {
        List<Problem> problems = problemsOf(json(m -> removeCategory(m, "TAX_ARREARS")));

        assertThat(problems).extracting(Problem::code, Problem::path).containsExactly(
                tuple(ProblemCode.CONSENT_TAX_REQUIRES_CONSENT, "/referral/taxArrears"));
        assertThat(problems.get(0).detail()).contains("TAX_ARREARS").contains("税の滞納");
    }

    @Test
    void aConsentThatExpiresBeforeItWasObtainedIsRefused() {
        List<Problem> problems = problemsOf(json(m -> consent(m).put("expiresAt", "2020-01-01T00:00:00+09:00")));

        assertThat(problems).extracting(Problem::code).containsExactly(ProblemCode.CONSENT_PERIOD_INVALID);
    }

    @Test
    void aVitalInterestBasisNeedsARealJustificationNotBlanks() {
        List<Problem> problems = problemsOf(json(m -> {
            ObjectNode basis = (ObjectNode) referral(m).get("basis");
            basis.removeAll();
            basis.putObject("vitalInterest").put("justification", " ".repeat(30));
        }));

        assertThat(problems).extracting(Problem::code, Problem::path).containsExactly(tuple(
                ProblemCode.BASIS_INCOMPLETE, "/referral/basis/vitalInterest/justification"));
    }

    @Test
    void aDeclinedStatusUpdateNeedsAReason() {
        byte[] declined = edit(Samples.first("F9-welfare", ".json"), m -> ((ObjectNode) m.get("statusUpdate")).remove("reason"));

        assertThat(problemsOf(declined)).extracting(Problem::code).containsExactly(ProblemCode.STATUS_REASON_REQUIRED);
    }

    @Test
    void aBodyThatDoesNotMatchTheMessageTypeIsRefusedBySchemaAndByTheModelRules() {
        assertThat(problemsOf(json(m -> m.put("messageType", "STATUS_UPDATE"))))
                .extracting(Problem::code).containsOnly(ProblemCode.SCHEMA_INVALID);

        Message built = reader.readJson(Samples.first("F1-", ".json"));
        built.setMessageType(jp.tsunagi.schema.model.MessageType.RECEIPT);
        assertThat(reader.check(built)).extracting(Problem::code).contains(ProblemCode.BODY_MISMATCH);
    }

    @Test
    void aModelBuiltInJavaIsCheckedByItsBeanValidationConstraintsWithJsonPointers() {
        Message built = reader.readJson(Samples.first("F1-", ".json"));
        built.getReferral().getSubject().getKana().setFamily("やまだ");
        built.getReferral().getSubject().setName(new PersonName());
        built.getReferral().getIssues().clear();

        List<Problem> problems = reader.check(built);

        assertThat(problems).extracting(Problem::code, Problem::path).contains(
                tuple(ProblemCode.FIELD_PATTERN, "/referral/subject/kana/family"),
                tuple(ProblemCode.FIELD_REQUIRED, "/referral/subject/name/family"),
                tuple(ProblemCode.FIELD_SIZE, "/referral/issues"));
    }

    @Test
    void theCategoriesAMessageCarriesAreFoundWhereverTheyAre() {
        Message household = reader.readJson(Samples.first("F5-", ".json"));

        assertThat(jp.tsunagi.schema.DataCategories.carriedBy(household)).containsKeys(
                DataCategory.IDENTITY, DataCategory.HOUSEHOLD, DataCategory.ISSUES, DataCategory.CARE);
        assertThat(jp.tsunagi.schema.DataCategories.carriedBy(reader.readJson(Samples.first("F10-", ".json")))).isEmpty();
    }

    @Test
    void noProblemEverEchoesTheCanaryPersonsData() {
        byte[] canaryJson = json(m -> {
            subject(m).putObject("name").put("family", CANARY_NAME).put("given", CANARY_NAME + "\u0007");
            kana(m).put("family", CANARY_KANA);
            ((ArrayNode) ((ObjectNode) subject(m).get("contact")).get("phones")).removeAll().add(CANARY_PHONE + "x");
            subject(m).put("birthDate", "2031-02-30");
            referral(m).put(CANARY_NAME, CANARY_PHONE);
        });
        Message valid = reader.readJson(Samples.first("F1-", ".json"));
        valid.getReferral().getSubject().getName().setFamily(CANARY_NAME + "\u0007");
        byte[] canaryXml = XmlCodec.write(valid);

        for (byte[] document : List.of(canaryJson, canaryXml)) {
            assertThatThrownBy(() -> reader.read(document))
                    .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.getMessage())
                            .doesNotContain(CANARY_NAME).doesNotContain(CANARY_KANA).doesNotContain(CANARY_PHONE)
                            .doesNotContain("2031"));
        }
    }

    @Test
    void sixtyThousandInvalidListEntriesAreRefusedWithOneBoundedProblemNotSixtyThousand() {
        byte[] document = json(m -> {
            ArrayNode issues = referral(m).putArray("issues");
            for (int i = 0; i < 60_000; i++) {
                issues.add("X" + i);
            }
        });

        MessageRejectedException e = rejection(document);

        assertThat(e.problems()).containsExactly(Problem.of(ProblemCode.FIELD_SIZE, "/referral/issues",
                "is longer than any list of the schema allows (" + JsonSchemaCheck.LONGEST_LIST + " entries)"));
        assertThat(e.getMessage().length()).isLessThan(500);
    }

    @Test
    void aProblemListIsBoundedAndSaysHowManyMoreThereWere() {
        String xml = new String(Samples.first("F1-", ".xml"), StandardCharsets.UTF_8);
        StringBuilder issues = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            issues.append("<issue>X").append(i).append("</issue>");
        }
        byte[] document = xml.replaceFirst("<issue>", issues + "<issue>").getBytes(StandardCharsets.UTF_8);

        MessageRejectedException e = rejection(document);

        assertThat(e.problems()).hasSize(MessageRejectedException.MAX_LISTED);
        assertThat(e.omitted()).isPositive().isLessThan(XmlSchemaCheck.MAX_COLLECTED);
        assertThat(e.getMessage()).endsWith("; and " + e.omitted() + " more");
    }

    @Test
    void aCodeNamedTwiceInACodeListIsRefusedInJsonAndInXml() {
        byte[] duplicated = json(m -> ((ArrayNode) referral(m).get("issues")).add(referral(m).get("issues").get(0).asText()));
        List<Problem> inJson = problemsOf(duplicated);
        Message model = new MessageReader().readJson(Samples.first("F1-", ".json"));
        model.getReferral().getIssues().add(model.getReferral().getIssues().get(0));
        List<Problem> inXml = problemsOf(XmlCodec.write(model));

        for (List<Problem> problems : List.of(inJson, inXml)) {
            assertThat(problems).extracting(Problem::code).containsExactly(ProblemCode.FIELD_DUPLICATE);
            assertThat(problems.get(0).path()).startsWith("/referral/issues");
        }
    }

    @Test
    void everyListOfTheSchemaHasABoundInTheXsdAndInTheJsonSchema() {
        String xsd = new String(jp.tsunagi.schema.TsunagiSchema.resourceBytes(jp.tsunagi.schema.TsunagiSchema.XSD_RESOURCE),
                StandardCharsets.UTF_8);
        assertThat(xsd).doesNotContain("unbounded");
        var schema = JsonCodec.parse(jp.tsunagi.schema.TsunagiSchema.resourceBytes(jp.tsunagi.schema.TsunagiSchema.JSON_SCHEMA_RESOURCE));
        List<com.fasterxml.jackson.databind.JsonNode> arrays = schema.findParents("type").stream()
                .filter(n -> n.get("type").asText().equals("array")).toList();
        assertThat(arrays).isNotEmpty().allSatisfy(a -> assertThat(a.has("maxItems")).as(a.toString()).isTrue());
    }

    @Test
    void aPhoneNumberANameOrABirthDateIsRefusedAsAReferralIdConsentIdOrMeetingIdInJsonAndXml() {
        for (String personal : List.of("090-0000-4649", "09000004649", "TOBA-KANARIA", "鳥羽カナリア", "1987-01-25",
                "19870125", "REF-1987-01-25", "REF-2026-09000004649")) {
            byte[] asReferralId = json(m -> m.put("referralId", personal));
            byte[] asConsentId = json(m -> consent(m).put("consentId", personal));
            Message model = new MessageReader().readJson(Samples.first("F1-", ".json"));
            model.setReferralId(personal);
            for (byte[] document : List.of(asReferralId, asConsentId, XmlCodec.write(model))) {
                assertThat(rejection(document).problems()).as(personal).extracting(Problem::code)
                        .containsOnly(ProblemCode.SCHEMA_INVALID);
            }
        }
        assertThat(new MessageReader().readJson(json(m -> m.put("referralId", "TAX-2026-000123"))).getReferralId())
                .isEqualTo("TAX-2026-000123");
    }

    @Test
    void theIdentifierFormTheGatewayChecksIsTheSchemas() {
        String xsd = new String(jp.tsunagi.schema.TsunagiSchema.resourceBytes(jp.tsunagi.schema.TsunagiSchema.XSD_RESOURCE),
                StandardCharsets.UTF_8);
        String pattern = "<xs:pattern value=\"" + jp.tsunagi.schema.TsunagiSchema.IDENTIFIER_PATTERN + "\"/>";
        int identifier = xsd.indexOf("<xs:simpleType name=\"Identifier\">");
        int referralId = xsd.indexOf("<xs:simpleType name=\"ReferralId\">");
        assertThat(xsd.indexOf(pattern, identifier)).isBetween(identifier, xsd.indexOf("</xs:simpleType>", identifier));
        assertThat(xsd.indexOf(pattern, referralId)).isBetween(referralId, xsd.indexOf("</xs:simpleType>", referralId));
    }

    private MessageRejectedException rejection(byte[] document) {
        try {
            reader.read(document);
        } catch (MessageRejectedException e) {
            return e;
        }
        throw new AssertionError("the message was accepted");
    }

    private List<Problem> problemsOf(byte[] document) {
        try {
            reader.read(document);
        } catch (MessageRejectedException e) {
            return e.problems();
        }
        throw new AssertionError("the message was accepted");
    }

    private static byte[] json(Consumer<ObjectNode> change) {
        return edit(Samples.first("F1-", ".json"), change);
    }

    private static byte[] edit(byte[] sample, Consumer<ObjectNode> change) {
        ObjectNode message = (ObjectNode) JsonCodec.parse(sample);
        change.accept(message);
        return JsonCodec.write(message);
    }

    private static ObjectNode referral(ObjectNode m) {
        return (ObjectNode) m.get("referral");
    }

    private static ObjectNode subject(ObjectNode m) {
        return (ObjectNode) referral(m).get("subject");
    }

    private static ObjectNode kana(ObjectNode m) {
        return (ObjectNode) subject(m).get("kana");
    }

    private static ObjectNode address(ObjectNode m) {
        return (ObjectNode) subject(m).get("address");
    }

    private static ObjectNode consent(ObjectNode m) {
        return (ObjectNode) referral(m).get("basis").get("consent");
    }

    private static void removeCategory(ObjectNode m, String category) {
        ArrayNode categories = (ArrayNode) consent(m).get("dataCategories");
        for (int i = categories.size() - 1; i >= 0; i--) {
            if (categories.get(i).asText().equals(category)) {
                categories.remove(i);
            }
        }
    }
}
