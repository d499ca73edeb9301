package jp.tsunagi.schema.signature;

import static jp.tsunagi.schema.signature.TestKeys.REGISTERED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.tsunagi.schema.Samples;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.Jcs;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

class JsonSignaturesTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] sample = Samples.first("F1-", ".json");

    @Test
    void aMessageSignedWithEs256VerifiesAndNamesItsSigner() {
        byte[] signed = JsonSignatures.sign(sample, TestKeys.tax());

        VerifiedSignature verified = JsonSignatures.verify(signed, REGISTERED);

        assertThat(verified.kid()).isEqualTo("tsunagi-tax#1");
        assertThat(verified.agencyId()).isEqualTo("tsunagi-tax");
        assertThat(verified.algorithm()).isEqualTo(SignatureAlgorithm.ES256);
    }

    @Test
    void theProtectedHeaderIsExactlyAlgKidTyp() {
        String header = new String(Base64.getUrlDecoder().decode(signatureOf(JsonSignatures.sign(sample, TestKeys.tax())).split("\\.")[0]),
                StandardCharsets.UTF_8);

        assertThat(header).isEqualTo("{\"alg\":\"ES256\",\"kid\":\"tsunagi-tax#1\",\"typ\":\"tsunagi+jws\"}");
    }

    @Test
    void aMessageSignedWithEd25519AlsoVerifies() {
        byte[] signed = JsonSignatures.sign(sample, new SigningKey(TestKeys.TAX_ED_KID, TestKeys.TAX_ED25519.getPrivate()));

        assertThat(JsonSignatures.verify(signed, REGISTERED).algorithm()).isEqualTo(SignatureAlgorithm.EDDSA);
    }

    @Test
    void reformattingOrReorderingTheJsonDoesNotBreakTheSignatureBecauseItCoversTheCanonicalForm() {
        ObjectNode signed = (ObjectNode) JsonCodec.parse(JsonSignatures.sign(sample, TestKeys.tax()));
        byte[] compact = JsonCodec.mapper().createObjectNode().put("signature", signed.remove("signature").asText())
                .setAll(signed).toString().getBytes(StandardCharsets.UTF_8);

        assertThat(JsonSignatures.verify(compact, REGISTERED).kid()).isEqualTo("tsunagi-tax#1");
    }

    @Test
    void jose4jVerifiesWhatTsunagiSigns() throws Exception {
        byte[] signed = JsonSignatures.sign(sample, TestKeys.tax());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(signatureOf(signed));
        jws.setEncodedPayload(B64.encodeToString(canonicalWithoutSignature(signed)));
        jws.setKey(TestKeys.TAX.getPublic());

        assertThat(jws.verifySignature()).isTrue();
        assertThat(jws.getKeyIdHeaderValue()).isEqualTo("tsunagi-tax#1");
    }

    @Test
    void nimbusVerifiesWhatTsunagiSigns() throws Exception {
        byte[] signed = JsonSignatures.sign(sample, TestKeys.tax());
        JWSObject jws = JWSObject.parse(signatureOf(signed), new Payload(canonicalWithoutSignature(signed)));

        assertThat(jws.verify(new ECDSAVerifier((ECPublicKey) TestKeys.TAX.getPublic()))).isTrue();
    }

    @Test
    void tsunagiVerifiesWhatNimbusSigns() throws Exception {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("tsunagi-tax#1")
                .type(new JOSEObjectType("tsunagi+jws")).build();
        JWSObject jws = new JWSObject(header, new Payload(Jcs.canonicalize(JsonCodec.parse(sample))));
        jws.sign(new ECDSASigner((ECPrivateKey) TestKeys.TAX.getPrivate()));

        byte[] signed = withSignature(sample, jws.serialize(true));

        assertThat(JsonSignatures.verify(signed, REGISTERED).kid()).isEqualTo("tsunagi-tax#1");
    }

    @Test
    void tsunagiVerifiesWhatJose4jSigns() throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue("tsunagi-tax#1");
        jws.setHeader("typ", "tsunagi+jws");
        jws.setPayloadBytes(Jcs.canonicalize(JsonCodec.parse(sample)));
        jws.setKey(TestKeys.TAX.getPrivate());

        byte[] signed = withSignature(sample, jws.getDetachedContentCompactSerialization());

        assertThat(JsonSignatures.verify(signed, REGISTERED).kid()).isEqualTo("tsunagi-tax#1");
    }

    @Test
    void changingOneCharacterOfTheContentInvalidatesTheSignature() {
        String signed = new String(JsonSignatures.sign(sample, TestKeys.tax()), StandardCharsets.UTF_8);
        byte[] tampered = signed.replace("\"amountYen\" : 96800", "\"amountYen\" : 96801").getBytes(StandardCharsets.UTF_8);
        assertThat(tampered).isNotEqualTo(signed.getBytes(StandardCharsets.UTF_8));

        assertRejected(tampered, ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void anUnsignedMessageIsRefusedAsMissingASignature() {
        assertRejected(sample, ProblemCode.SIGNATURE_MISSING);
    }

    @Test
    void algNoneIsRefused() {
        assertRejected(withSignature(sample, header("{\"alg\":\"none\",\"kid\":\"tsunagi-tax#1\",\"typ\":\"tsunagi+jws\"}") + ".."),
                ProblemCode.SIGNATURE_ALG_FORBIDDEN);
    }

    @Test
    void anHmacSignatureKeyedWithThePublicKeyIsRefusedAsAForbiddenAlgorithm() throws Exception {
        String header = header("{\"alg\":\"HS256\",\"kid\":\"tsunagi-tax#1\",\"typ\":\"tsunagi+jws\"}");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(TestKeys.TAX.getPublic().getEncoded(), "HmacSHA256"));
        byte[] tag = mac.doFinal((header + "." + B64.encodeToString(Jcs.canonicalize(JsonCodec.parse(sample))))
                .getBytes(StandardCharsets.US_ASCII));

        assertRejected(withSignature(sample, header + ".." + B64.encodeToString(tag)), ProblemCode.SIGNATURE_ALG_FORBIDDEN);
    }

    @Test
    void aHeaderWithoutKidIsRefused() {
        assertRejected(signedWithHeader("{\"alg\":\"ES256\",\"typ\":\"tsunagi+jws\"}"), ProblemCode.SIGNATURE_KID_MISSING);
    }

    @Test
    void aKidThatIsNotRegisteredIsRefused() {
        assertRejected(signedWithHeader("{\"alg\":\"ES256\",\"kid\":\"tsunagi-tax#9\",\"typ\":\"tsunagi+jws\"}"),
                ProblemCode.SIGNATURE_KID_UNKNOWN);
    }

    @Test
    void anUnknownCriticalHeaderIsRefused() {
        assertRejected(signedWithHeader("{\"alg\":\"ES256\",\"kid\":\"tsunagi-tax#1\",\"typ\":\"tsunagi+jws\",\"crit\":[\"exp\"],\"exp\":1}"),
                ProblemCode.SIGNATURE_CRIT_UNSUPPORTED);
    }

    @Test
    void aKeyEmbeddedInTheHeaderIsNeverTrustedAndIsRefused() {
        assertRejected(signedWithHeader("{\"alg\":\"ES256\",\"kid\":\"tsunagi-tax#1\",\"typ\":\"tsunagi+jws\",\"jwk\":{\"kty\":\"EC\"}}"),
                ProblemCode.SIGNATURE_HEADER_FORBIDDEN);
    }

    @Test
    void aSignatureMadeWithAnotherAgencysKeyUnderThisKidIsInvalid() {
        byte[] signed = JsonSignatures.sign(sample, new SigningKey("tsunagi-tax#1", TestKeys.HUB.getPrivate()));

        assertRejected(signed, ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void anEdDsaHeaderOverAnEcKeyIsInvalidNotConfused() {
        assertRejected(signedWithHeader("{\"alg\":\"EdDSA\",\"kid\":\"tsunagi-tax#1\",\"typ\":\"tsunagi+jws\"}"),
                ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void anEcdsaSignatureWithRAndSZeroIsInvalid() {
        assertRejected(withRawSignature(BigInteger.ZERO, BigInteger.ZERO), ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void anEcdsaSignatureWithRAndSEqualToTheGroupOrderIsInvalid() {
        assertRejected(withRawSignature(SignatureAlgorithm.P256_ORDER, SignatureAlgorithm.P256_ORDER), ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void anEcdsaSignatureWhoseSIsAboveTheGroupOrderIsInvalid() {
        String jws = signatureOf(JsonSignatures.sign(sample, TestKeys.tax()));
        byte[] raw = Base64.getUrlDecoder().decode(jws.split("\\.")[2]);
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(raw, 0, 32));
        BigInteger sPlusOrder = SignatureAlgorithm.P256_ORDER.add(BigInteger.ONE);

        assertRejected(withRawSignature(r, sPlusOrder), ProblemCode.SIGNATURE_INVALID);
    }

    @Test
    void aJwsCarryingItsOwnPayloadInsteadOfADetachedOneIsMalformed() {
        String jws = signatureOf(JsonSignatures.sign(sample, TestKeys.tax()));
        String[] parts = jws.split("\\.", -1);

        assertRejected(withSignature(sample, parts[0] + "." + B64.encodeToString("{}".getBytes()) + "." + parts[2]),
                ProblemCode.SIGNATURE_MALFORMED);
    }

    @Test
    void aSignatureThatIsNotAStringIsMalformed() {
        ObjectNode message = (ObjectNode) JsonCodec.parse(sample);
        message.putObject("signature");

        assertRejected(message.toString().getBytes(StandardCharsets.UTF_8), ProblemCode.SIGNATURE_MALFORMED);
    }

    private byte[] signedWithHeader(String headerJson) {
        String header = header(headerJson);
        byte[] input = (header + "." + B64.encodeToString(Jcs.canonicalize(JsonCodec.parse(sample)))).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = SignatureAlgorithm.ES256.sign(TestKeys.TAX.getPrivate(), input);
        return withSignature(sample, header + ".." + B64.encodeToString(signature));
    }

    private byte[] withRawSignature(BigInteger r, BigInteger s) {
        String header = signatureOf(JsonSignatures.sign(sample, TestKeys.tax())).split("\\.")[0];
        byte[] raw = new byte[64];
        put(r, raw, 0);
        put(s, raw, 32);
        return withSignature(sample, header + ".." + B64.encodeToString(raw));
    }

    private static void put(BigInteger value, byte[] target, int offset) {
        byte[] bytes = value.toByteArray();
        int start = Math.max(0, bytes.length - 32);
        System.arraycopy(bytes, start, target, offset + 32 - (bytes.length - start), bytes.length - start);
    }

    private static String header(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String signatureOf(byte[] signedJson) {
        return JsonCodec.parse(signedJson).get("signature").asText();
    }

    private static byte[] canonicalWithoutSignature(byte[] signedJson) {
        ObjectNode message = (ObjectNode) JsonCodec.parse(signedJson);
        message.remove("signature");
        return Jcs.canonicalize(message);
    }

    private static byte[] withSignature(byte[] json, String jws) {
        ObjectNode message = (ObjectNode) JsonCodec.parse(json);
        message.put("signature", jws);
        return JsonCodec.write(message);
    }

    private static void assertRejected(byte[] message, ProblemCode expected) {
        assertThatThrownBy(() -> JsonSignatures.verify(message, REGISTERED))
                .isInstanceOfSatisfying(MessageRejectedException.class, e -> assertThat(e.code()).isEqualTo(expected));
    }

}
