package jp.tsunagi.schema.signature;

import jp.tsunagi.schema.codec.MessageFormat;

/** Signs and verifies a message document in whichever syntax it is written. */
public final class MessageSignatures {
    private MessageSignatures() {
    }

    public static byte[] sign(byte[] document, SigningKey key) {
        return MessageFormat.detect(document) == MessageFormat.JSON
                ? JsonSignatures.sign(document, key)
                : XmlSignatures.sign(document, key);
    }

    /** The verified signer, or a {@link jp.tsunagi.schema.validation.MessageRejectedException} with a signature code. */
    public static VerifiedSignature verify(byte[] document, KeyResolver keys) {
        return MessageFormat.detect(document) == MessageFormat.JSON
                ? JsonSignatures.verify(document, keys)
                : XmlSignatures.verify(document, keys);
    }
}
