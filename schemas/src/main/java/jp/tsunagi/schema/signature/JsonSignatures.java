package jp.tsunagi.schema.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Set;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.codec.Jcs;
import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;

/**
 * JSON message signatures: a JWS in compact serialization with a detached payload (RFC 7515 appendix F) in the
 * member {@code signature}; the payload is the RFC 8785 canonical form of the message without that member.
 * Protected header exactly {@code {"alg":"ES256","kid":"<agencyId>#<n>","typ":"tsunagi+jws"}}.
 */
public final class JsonSignatures {
    public static final String TYP = "tsunagi+jws";
    /** Header parameters understood; anything else that could change the meaning of the signature is refused. */
    private static final Set<String> KNOWN_HEADER = Set.of("alg", "kid", "typ");
    /** Parameters that bring keys or change the payload encoding: never honoured, so refused outright. */
    private static final Set<String> REFUSED_HEADER = Set.of("jwk", "jku", "x5u", "x5c", "b64", "zip");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

    private JsonSignatures() {
    }

    /** Signs a JSON message; an existing signature member is replaced. Returns the message with its signature, pretty-printed. */
    public static byte[] sign(byte[] json, SigningKey key) {
        return sign(object(JsonCodec.parse(json)), key);
    }

    /**
     * The same for a message already in tree form (e.g. {@link JsonCodec#toTree}), which saves writing and parsing it
     * again; the tree gets the signature member.
     */
    public static byte[] sign(ObjectNode message, SigningKey key) {
        message.remove(JsonCodec.SIGNATURE_MEMBER);
        message.put(JsonCodec.SIGNATURE_MEMBER, detachedJws(Jcs.canonicalize(message), key));
        return JsonCodec.write(message);
    }

    /** {@code BASE64URL(header) + ".." + BASE64URL(signature)} over the given payload bytes. */
    public static String detachedJws(byte[] payload, SigningKey key) {
        SignatureAlgorithm algorithm = key.algorithm();
        String header = "{\"alg\":\"" + algorithm.joseName() + "\",\"kid\":" + jsonString(key.kid()) + ",\"typ\":\"" + TYP + "\"}";
        String encodedHeader = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8));
        byte[] signature = algorithm.sign(key.privateKey(), signingInput(encodedHeader, payload));
        return encodedHeader + ".." + B64.encodeToString(signature);
    }

    public static VerifiedSignature verify(byte[] json, KeyResolver keys) {
        return verify(SignedJson.parse(json), keys);
    }

    /** The same for a message parsed already, whose canonical form is then kept for hashing (the intake's case). */
    public static VerifiedSignature verify(SignedJson message, KeyResolver keys) {
        JsonNode signature = message.signature();
        if (signature == null) {
            throw reject(ProblemCode.SIGNATURE_MISSING, "the message has no signature member");
        }
        if (!signature.isTextual()) {
            throw reject(ProblemCode.SIGNATURE_MALFORMED, "the signature member is not a string");
        }
        return verifyDetached(signature.asText(), message.canonicalContent(), keys);
    }

    /** Verifies a detached compact JWS over the given payload bytes. */
    public static VerifiedSignature verifyDetached(String jws, byte[] payload, KeyResolver keys) {
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            throw reject(ProblemCode.SIGNATURE_MALFORMED, "not a compact JWS with a detached payload");
        }
        ObjectNode header = header(decode(parts[0]));
        SignatureAlgorithm algorithm = checkHeader(header);
        String kid = header.get("kid").asText();
        var key = keys.find(kid).orElseThrow(() -> reject(ProblemCode.SIGNATURE_KID_UNKNOWN, "no key is registered under this kid"));
        if (!algorithm.verify(key, signingInput(parts[0], payload), decode(parts[2]))) {
            throw reject(ProblemCode.SIGNATURE_INVALID, "the signature does not verify over this content with the registered key");
        }
        return new VerifiedSignature(kid, algorithm);
    }

    private static ObjectNode header(byte[] json) {
        try {
            return object(JsonCodec.parse(json));
        } catch (MessageRejectedException e) {
            throw e.code().isSignatureProblem() ? e : reject(ProblemCode.SIGNATURE_MALFORMED, "the JWS header is not a JSON object");
        }
    }

    private static SignatureAlgorithm checkHeader(ObjectNode header) {
        if (header.has("crit")) {
            throw reject(ProblemCode.SIGNATURE_CRIT_UNSUPPORTED, "no JWS extension is understood, so none may be critical");
        }
        for (Iterator<String> names = header.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (REFUSED_HEADER.contains(name)) {
                throw reject(ProblemCode.SIGNATURE_HEADER_FORBIDDEN, "header parameter '" + name + "' is refused");
            }
        }
        SignatureAlgorithm algorithm = SignatureAlgorithm.ofJose(header.path("alg").asText(""));
        if (algorithm == null) {
            throw reject(ProblemCode.SIGNATURE_ALG_FORBIDDEN, "alg must be ES256 or EdDSA");
        }
        if (!header.path("kid").isTextual() || header.get("kid").asText().isBlank()) {
            throw reject(ProblemCode.SIGNATURE_KID_MISSING, "the protected header has no kid");
        }
        if (!TYP.equals(header.path("typ").asText())) {
            throw reject(ProblemCode.SIGNATURE_MALFORMED, "typ must be " + TYP);
        }
        return algorithm;
    }

    private static byte[] signingInput(String encodedHeader, byte[] payload) {
        return (encodedHeader + "." + B64.encodeToString(payload)).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] decode(String part) {
        try {
            if (part.contains("=")) {
                throw new IllegalArgumentException("padding");
            }
            return B64_DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw reject(ProblemCode.SIGNATURE_MALFORMED, "a JWS part is not base64url");
        }
    }

    private static ObjectNode object(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            throw reject(ProblemCode.SIGNATURE_MALFORMED, "not a JSON object");
        }
        return object;
    }

    private static String jsonString(String value) {
        return JsonCodec.mapper().getNodeFactory().textNode(value).toString();
    }

    static MessageRejectedException reject(ProblemCode code, String detail) {
        return new MessageRejectedException(code, detail);
    }
}
