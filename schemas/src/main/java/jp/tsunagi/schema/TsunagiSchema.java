package jp.tsunagi.schema;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.IOException;

/** Names and resources of the message schema, major version 1. */
public final class TsunagiSchema {
    public static final int MAJOR_VERSION = 1;
    /** The version this library writes. */
    public static final String VERSION = "1.0";
    /** The XML namespace carries the major version: a version 2 document has another namespace. */
    public static final String NAMESPACE = "urn:tsunagi:message:1";
    public static final String XSD_RESOURCE = "jp/tsunagi/schema/tsunagi-message-1.xsd";
    public static final String JSON_SCHEMA_RESOURCE = "jp/tsunagi/schema/tsunagi-message-1.schema.json";
    public static final String OPENAPI_RESOURCE = "jp/tsunagi/schema/openapi.json";
    /**
     * The form of every identifier a message carries (referralId, consentId, meetingId, evidenceRef), as the XSD's
     * Identifier type says: prefix, year, sequence, so that no phone number, name or birth date can ride in one.
     */
    public static final String IDENTIFIER_PATTERN = "[A-Z]{2,4}-20[0-9]{2}-[0-9]{1,6}";

    private TsunagiSchema() {
    }

    /** A resource of this library (XSD, JSON Schema, OpenAPI document, samples). */
    public static InputStream resource(String name) {
        InputStream in = TsunagiSchema.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("the library is incomplete: missing resource " + name);
        }
        return in;
    }

    public static byte[] resourceBytes(String name) {
        try (InputStream in = resource(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The major version of a "major.minor" string, or -1 when it is not of that form. */
    public static int majorVersion(String schemaVersion) {
        if (schemaVersion == null || !schemaVersion.matches("[0-9]{1,3}\\.[0-9]{1,3}")) {
            return -1;
        }
        return Integer.parseInt(schemaVersion.substring(0, schemaVersion.indexOf('.')));
    }
}
