package jp.tsunagi.gateway.intake;

import java.util.Base64;
import java.util.HexFormat;
import jp.tsunagi.schema.codec.MessageFormat;
import jp.tsunagi.schema.codec.SafeXml;
import jp.tsunagi.schema.signature.SignedJson;
import jp.tsunagi.schema.signature.XmlSignatures;
import org.w3c.dom.Element;

/**
 * A message as its sender signed it, read once: the body, the SHA-256 of its canonical form (the idempotency check's
 * content hash and the provenance's {@code originalSha256}) and its signature (the provenance's
 * {@code originalSignature}).
 *
 * @param contentSha256 JSON: SHA-256 of the RFC 8785 form without the signature (the bytes the sender signed). XML: the
 *                      digest of the signature's reference, which is the SHA-256 of the exclusive canonical form of the
 *                      document without its signature, checked when the signature was verified
 * @param signature     JSON: the detached JWS; XML: the base64 of the serialized ds:Signature element
 */
record Original(byte[] body, MessageFormat format, String contentSha256, String signature) {

    /** A JSON message from the parse its signature was verified on: its canonical form is not computed again. */
    static Original of(byte[] body, SignedJson json) {
        return new Original(body, MessageFormat.JSON, Provenances.sha256(json.canonicalContent()), json.signature().asText());
    }

    /** An XML message whose signature was verified: the signature element is read from one more parse. */
    static Original ofXml(byte[] body) {
        Element signature = (Element) SafeXml.parse(body).getElementsByTagNameNS(XmlSignatures.DSIG_NS, "Signature").item(0);
        Element digest = (Element) signature.getElementsByTagNameNS(XmlSignatures.DSIG_NS, "DigestValue").item(0);
        return new Original(body, MessageFormat.XML,
                HexFormat.of().formatHex(Base64.getMimeDecoder().decode(digest.getTextContent().trim())),
                Base64.getEncoder().encodeToString(SafeXml.serialize(signature)));
    }
}
