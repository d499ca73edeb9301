package jp.tsunagi.schema.codec;

import jp.tsunagi.schema.validation.MessageRejectedException;
import jp.tsunagi.schema.validation.ProblemCode;

/** The two syntaxes of a message. */
public enum MessageFormat {
    JSON("application/json"),
    XML("application/xml");

    private final String mediaType;

    MessageFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** By the first significant byte, after an optional UTF-8 byte order mark and white space. */
    /**
     * XML in UTF-16 (with a byte order mark, or '<' as its first 16-bit unit) is XML too: the XML parser reads it,
     * and refuses what it must (a DOCTYPE is message.dtd_forbidden whatever the encoding, not message.malformed).
     */
    private static boolean isUtf16Xml(byte[] d) {
        int i = d.length >= 2 && ((d[0] & 0xff) == 0xFE && (d[1] & 0xff) == 0xFF || (d[0] & 0xff) == 0xFF && (d[1] & 0xff) == 0xFE) ? 2 : 0;
        return d.length >= i + 2 && (d[i] == 0 && d[i + 1] == '<' || d[i] == '<' && d[i + 1] == 0);
    }

    public static MessageFormat detect(byte[] document) {
        int i = document.length >= 3 && (document[0] & 0xff) == 0xEF && (document[1] & 0xff) == 0xBB
                && (document[2] & 0xff) == 0xBF ? 3 : 0;
        while (i < document.length && Character.isWhitespace(document[i])) {
            i++;
        }
        if (i < document.length && document[i] == '{') {
            return JSON;
        }
        if (i < document.length && document[i] == '<' || isUtf16Xml(document)) {
            return XML;
        }
        throw new MessageRejectedException(ProblemCode.MESSAGE_UNSUPPORTED_FORMAT, "neither a JSON object nor XML");
    }
}
