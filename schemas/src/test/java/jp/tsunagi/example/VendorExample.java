package jp.tsunagi.example;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.tsunagi.schema.TsunagiSchema;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.XmlCodec;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.Consent;
import jp.tsunagi.schema.model.ConsentGiver;
import jp.tsunagi.schema.model.ConsentMethod;
import jp.tsunagi.schema.model.ConsentRecipient;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.Issue;
import jp.tsunagi.schema.model.KanaName;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.PersonName;
import jp.tsunagi.schema.model.Purpose;
import jp.tsunagi.schema.model.Referral;
import jp.tsunagi.schema.model.Service;
import jp.tsunagi.schema.model.Subject;
import jp.tsunagi.schema.model.Urgency;
import jp.tsunagi.schema.signature.KeyResolver;
import jp.tsunagi.schema.signature.MessageSignatures;
import jp.tsunagi.schema.signature.Pem;
import jp.tsunagi.schema.signature.SigningKey;
import jp.tsunagi.schema.signature.VerifiedSignature;
import jp.tsunagi.schema.validation.MessageReader;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.Problem;

/** How a vendor system builds, validates, signs and verifies a referral (docs/vendor-guide.md shows this file). */
public final class VendorExample {

    /** Builds a referral from the tax desk to the hub, with the person's consent. */
    public static Message buildReferral() {
        // now, in Japan time: the gateway refuses a message created outside its replay window (a week by default)
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(9)).truncatedTo(ChronoUnit.SECONDS);
        Subject subject = new Subject();
        subject.setName(name("架空", "一郎"));
        KanaName kana = new KanaName();
        kana.setFamily("カクウ");
        kana.setGiven("イチロウ");
        subject.setKana(kana);
        subject.setBirthDate(LocalDate.of(1975, 5, 5));

        Consent consent = new Consent();
        consent.setConsentId("CNS-2026-9001");
        consent.setGivenBy(ConsentGiver.SUBJECT);
        consent.setObtainedAt(now.minusMinutes(30));
        consent.setObtainedBy("tsunagi-tax");
        consent.setMethod(ConsentMethod.WRITTEN);
        ConsentRecipient hub = new ConsentRecipient();
        hub.setAgencyId("tsunagi-hub");
        consent.getRecipients().add(hub);
        consent.getPurposes().add(Purpose.CONSULTATION_REFERRAL);
        // the consent names every category the message carries: identity, issues, the chief complaint, and tax
        // arrears, because the issue code 税・料金滞納 tells the fact itself (地方税法第22条)
        consent.getDataCategories().addAll(List.of(DataCategory.IDENTITY, DataCategory.ISSUES, DataCategory.NARRATIVE,
                DataCategory.TAX_ARREARS));
        consent.setExpiresAt(now.plusYears(1));
        Basis basis = new Basis();
        basis.setConsent(consent);

        Referral referral = new Referral();
        referral.setPurpose(Purpose.CONSULTATION_REFERRAL);
        referral.setSubject(subject);
        referral.getIssues().addAll(List.of(Issue.TAX_FEE_ARREARS, Issue.ECONOMIC_HARDSHIP));
        referral.getRequestedServices().add(Service.HOUSEHOLD_BUDGET_IMPROVEMENT);
        referral.setUrgency(Urgency.NORMAL);
        referral.setChiefComplaint("収入が減り、住民税の納付が難しい。家計を立て直したい。");
        referral.setBasis(basis);

        Message message = new Message();
        message.setMessageId(UUID.randomUUID().toString());
        message.setMessageType(MessageType.REFERRAL);
        message.setSchemaVersion(TsunagiSchema.VERSION);
        message.setCreatedAt(now);
        message.setSender("tsunagi-tax");
        message.setRecipient("tsunagi-hub");
        message.setReferralId("REF-2026-009001");
        message.setReferral(referral);
        return message;
    }

    /**
     * Validates, writes as JSON and XML, signs both with the agency's key, and verifies them; with a gateway's address
     * as second argument, submits the signed JSON to it. Arguments: the key directory (default data/keys), the gateway.
     */
    public static void main(String[] args) throws Exception {
        Path keys = Path.of(args.length > 0 ? args[0] : "data/keys");
        Message message = buildReferral();

        MessageReader reader = new MessageReader();
        List<Problem> problems = reader.check(message);   // field and cross-field rules on the model
        if (!problems.isEmpty()) {
            problems.forEach(System.err::println);           // codes and paths only, never personal data
            return;
        }

        SigningKey key = new SigningKey("tsunagi-tax#1", Pem.readPrivateKey(keys.resolve("tsunagi-tax.key.pem")));
        byte[] signedJson = MessageSignatures.sign(JsonCodec.write(message), key);
        byte[] signedXml = MessageSignatures.sign(XmlCodec.write(message), key);

        // The receiving side: keys come from the registry (agencies.yaml), never from the message.
        KeyResolver registered = KeyResolver.of(Map.of("tsunagi-tax#1", Pem.readPublicKey(keys.resolve("tsunagi-tax.pub.pem"))));
        for (byte[] signed : List.of(signedJson, signedXml)) {
            try {
                VerifiedSignature signer = MessageSignatures.verify(signed, registered);
                Message received = reader.read(signed);       // every validation layer, either syntax
                System.out.println("valid, signed by " + signer.kid() + ", referral " + received.getReferralId());
            } catch (MessageRejectedException e) {
                e.problems().forEach(p -> System.out.println(p.code().code() + " " + p.path() + " " + p.detail()));
            }
        }
        Files.write(keys.resolveSibling("referral.signed.json"), signedJson);

        if (args.length > 1) {   // a running gateway, e.g. http://127.0.0.1:8080 of bin/tsunagi demo or serve
            HttpRequest submit = HttpRequest.newBuilder(URI.create(args[1] + "/api/v1/messages"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(signedJson)).build();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(submit, HttpResponse.BodyHandlers.ofString());
            System.out.println("gateway: " + answer.statusCode() + " " + answer.body());   // 202 and the signed receipt
        }
    }

    private static PersonName name(String family, String given) {
        PersonName name = new PersonName();
        name.setFamily(family);
        name.setGiven(given);
        return name;
    }

    private VendorExample() {
    }
}
