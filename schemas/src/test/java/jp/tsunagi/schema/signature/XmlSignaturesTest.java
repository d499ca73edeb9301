package jp.tsunagi.schema.signature;

import static jp.tsunagi.schema.signature.TestKeys.REGISTERED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import jp.tsunagi.schema.Samples;
import jp.tsunagi.schema.codec.SafeXml;
import jp.tsunagi.schema.validation.MessageReader;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;
import org.apache.xml.security.Init;
import org.apache.xml.security.signature.XMLSignature;
import org.apache.xml.security.transforms.Transforms;
import org.apache.xml.security.utils.Constants;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class XmlSignaturesTest {
    private final byte[] sample = Samples.first("F1-", ".xml");

    @BeforeAll
    static void initSantuario() {
        Init.init();
    }

    @Test
    void aSignedXmlMessageVerifiesAndStaysSchemaValid() {
        byte[] signed = XmlSignatures.sign(sample, TestKeys.tax());

        assertThat(XmlSignatures.verify(signed, REGISTERED).kid()).isEqualTo("tsunagi-tax#1");
        assertThat(new MessageReader().readXml(signed).getXmlSignature()).isNotNull();
    }

    @Test
    void theSignatureIsEnvelopedExclusiveC14nEcdsaSha256WithTheKidAsKeyName() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));

        assertThat(signed)
                .contains("<ds:Reference URI=\"\">")
                .contains("http://www.w3.org/2000/09/xmldsig#enveloped-signature")
                .contains("<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"")
                .contains("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256")
                .contains("<ds:KeyName>tsunagi-tax#1</ds:KeyName>");
    }

    @Test
    void apacheSantuarioVerifiesWhatTsunagiSigns() throws Exception {
        Document document = SafeXml.parse(XmlSignatures.sign(sample, TestKeys.tax()));
        Element signatureElement = (Element) document.getElementsByTagNameNS(Constants.SignatureSpecNS, "Signature").item(0);

        XMLSignature signature = new XMLSignature(signatureElement, "", true);

        assertThat(signature.checkSignatureValue(TestKeys.TAX.getPublic())).isTrue();
    }

    @Test
    void tsunagiVerifiesWhatApacheSantuarioSigns() throws Exception {
        Document document = SafeXml.parse(sample);
        XMLSignature signature = new XMLSignature(document, "", XMLSignature.ALGO_ID_SIGNATURE_ECDSA_SHA256,
                Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
        document.getDocumentElement().appendChild(signature.getElement());
        Transforms transforms = new Transforms(document);
        transforms.addTransform(Transforms.TRANSFORM_ENVELOPED_SIGNATURE);
        transforms.addTransform(Transforms.TRANSFORM_C14N_EXCL_OMIT_COMMENTS);
        signature.addDocument("", transforms, "http://www.w3.org/2001/04/xmlenc#sha256");
        signature.getKeyInfo().addKeyName("tsunagi-tax#1");
        signature.sign(TestKeys.TAX.getPrivate());

        byte[] signed = SafeXml.serialize(document);

        assertThat(XmlSignatures.verify(signed, REGISTERED).kid()).isEqualTo("tsunagi-tax#1");
    }

    @Test
    void changingOneCharacterOfTheDocumentInvalidatesTheSignature() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));
        String tampered = signed.replace("<amountYen>96800</amountYen>", "<amountYen>96801</amountYen>");
        assertThat(tampered).isNotEqualTo(signed);

        assertRejected(tampered, ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void anUnsignedDocumentIsRefusedAsMissingASignature() {
        assertRejected(text(sample), ProblemCode.SIGNATURE_MISSING);
    }

    @Test
    void aSecondSignatureIsRefusedAsWrapping() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));
        String signatureElement = signed.substring(signed.indexOf("<ds:Signature"), signed.indexOf("</ds:Signature>") + 15);
        String twice = signed.replace("</message>", signatureElement + "</message>");

        assertRejected(twice, ProblemCode.SIGNATURE_WRAPPING);
    }

    @Test
    void aSignatureMovedInsideTheBodyIsRefusedAsWrapping() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));
        String signatureElement = signed.substring(signed.indexOf("<ds:Signature"), signed.indexOf("</ds:Signature>") + 15);
        String moved = signed.replace(signatureElement, "").replace("</referral>", signatureElement + "</referral>");

        assertRejected(moved, ProblemCode.SIGNATURE_WRAPPING);
    }

    @Test
    void aReferenceToAnythingButTheWholeDocumentIsRefusedAsWrapping() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));

        assertRejected(signed.replace("<ds:Reference URI=\"\">", "<ds:Reference URI=\"#referral\">"), ProblemCode.SIGNATURE_WRAPPING);
    }

    @Test
    void anExtraTransformIsRefusedAsWrapping() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));
        String extra = signed.replace("<ds:Transforms>",
                "<ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>");

        assertRejected(extra, ProblemCode.SIGNATURE_WRAPPING);
    }

    @Test
    void anRsaSha1OrMd5MethodTheJdkForbidsIsAnAlgorithmRefusalNotAMalformedSignature() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));

        assertRejected(signed.replace("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
                "http://www.w3.org/2000/09/xmldsig#rsa-sha1"), ProblemCode.SIGNATURE_ALG_FORBIDDEN);
        assertRejected(signed.replace("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
                "http://www.w3.org/2001/04/xmldsig-more#rsa-md5"), ProblemCode.SIGNATURE_ALG_FORBIDDEN);
        assertRejected(signed.replace("http://www.w3.org/2001/04/xmlenc#sha256",
                "http://www.w3.org/2000/09/xmldsig#sha1"), ProblemCode.SIGNATURE_ALG_FORBIDDEN);
    }

    @Test
    void aSignatureMethodOtherThanEcdsaSha256IsRefused() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));

        assertRejected(signed.replace("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
                "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"), ProblemCode.SIGNATURE_ALG_FORBIDDEN);
    }

    @Test
    void aSignatureWithoutKeyNameIsRefused() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));

        String keyInfo = signed.substring(signed.indexOf("<ds:KeyInfo>"), signed.indexOf("</ds:KeyInfo>") + 13);

        assertRejected(signed.replace(keyInfo, ""), ProblemCode.SIGNATURE_KID_MISSING);
    }

    @Test
    void aKeyNameThatIsNotRegisteredIsRefused() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));

        assertRejected(signed.replace("tsunagi-tax#1", "tsunagi-tax#7"), ProblemCode.SIGNATURE_KID_UNKNOWN);
    }

    @Test
    void aSignatureByAnotherAgencysKeyIsInvalid() {
        String signed = text(XmlSignatures.sign(sample, new SigningKey("tsunagi-tax#1", TestKeys.HUB.getPrivate())));

        assertRejected(signed, ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void anEcdsaValueWithRAndSZeroIsInvalid() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));
        String value = signed.substring(signed.indexOf("<ds:SignatureValue>") + 19, signed.indexOf("</ds:SignatureValue>"));

        assertRejected(signed.replace(value, Base64.getEncoder().encodeToString(new byte[64])), ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void anEcdsaValueWithRAndSEqualToTheGroupOrderIsInvalid() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));
        String value = signed.substring(signed.indexOf("<ds:SignatureValue>") + 19, signed.indexOf("</ds:SignatureValue>"));
        byte[] order = SignatureAlgorithm.P256_ORDER.toByteArray();
        byte[] raw = new byte[64];
        System.arraycopy(order, order.length - 32, raw, 0, 32);
        System.arraycopy(order, order.length - 32, raw, 32, 32);

        assertRejected(signed.replace(value, Base64.getEncoder().encodeToString(raw)), ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void aSignedDocumentWithADoctypeIsRefusedBeforeAnyVerification() {
        String signed = text(XmlSignatures.sign(sample, TestKeys.tax()));
        String withDoctype = signed.replaceFirst("\\?>", "?><!DOCTYPE message [<!ENTITY x \"y\">]>");

        assertRejected(withDoctype, ProblemCode.MESSAGE_DTD_FORBIDDEN);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void assertRejected(String document, ProblemCode expected) {
        assertThatThrownBy(() -> XmlSignatures.verify(document.getBytes(StandardCharsets.UTF_8), REGISTERED))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.code()).isEqualTo(expected));
    }
}
