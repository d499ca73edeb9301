package jp.tsunagi.schema.validation;

import java.net.URI;

/**
 * Stable codes for everything the library refuses. Vendors and the gateway's problem responses (RFC 9457) rely on
 * them: a code is never renamed, only added. The detail of a problem never carries a value from the message.
 */
public enum ProblemCode {
    MESSAGE_TOO_LARGE("message.too_large", "The message is larger than the configured limit."),
    MESSAGE_MALFORMED("message.malformed", "The message is not well-formed JSON or XML."),
    MESSAGE_DTD_FORBIDDEN("message.dtd_forbidden", "XML with a DOCTYPE is refused (entities, XXE)."),
    MESSAGE_DUPLICATE_KEY("message.duplicate_key", "A JSON object has the same member twice."),
    MESSAGE_TOO_DEEP("message.too_deep", "The message nests deeper than any valid message can."),
    MESSAGE_VALUE_TOO_LONG("message.value_too_long", "A string, number or member name is longer than the parser allows."),
    MESSAGE_UNSUPPORTED_FORMAT("message.unsupported_format", "Neither JSON nor XML."),
    SCHEMA_VERSION_UNSUPPORTED("schema.version_unsupported", "The schema major version is not supported."),
    SCHEMA_INVALID("schema.invalid", "The message does not conform to the schema."),
    FIELD_REQUIRED("field.required", "A required field is missing."),
    FIELD_PATTERN("field.pattern", "A field does not have the required form."),
    FIELD_SIZE("field.size", "A field or list is too short or too long."),
    FIELD_RANGE("field.range", "A number is out of range."),
    FIELD_MUNICIPALITY_CODE("field.municipality_code", "A local government code has a wrong check digit or prefecture."),
    FIELD_DATE_IN_FUTURE("field.date_in_future", "A date that cannot be in the future is."),
    FIELD_INVALID("field.invalid", "A field is invalid."),
    FIELD_DUPLICATE("field.duplicate", "A code list names the same code more than once."),
    BODY_MISMATCH("message.body_mismatch", "The body does not match messageType."),
    CONSENT_CATEGORY_MISSING("consent.category_missing", "The message carries a data category its consent does not name."),
    CONSENT_TAX_REQUIRES_CONSENT("consent.tax_requires_consent", "The message carries tax information (地方税法第22条) its consent does not name."),
    CONSENT_SENSITIVE_NOT_NAMED("consent.sensitive_not_named", "The message carries special-care information (要配慮個人情報) its consent does not name."),
    CONSENT_PERIOD_INVALID("consent.period_invalid", "The consent expires before it was obtained."),
    BASIS_INCOMPLETE("basis.incomplete", "A statutory basis lacks its meeting id or justification."),
    STATUS_REASON_REQUIRED("status.reason_required", "DECLINED and FAILED need a reason."),
    SIGNATURE_MISSING("signature.missing", "The message is not signed."),
    SIGNATURE_MALFORMED("signature.malformed", "The signature is not a well-formed detached JWS or XML Signature."),
    SIGNATURE_ALG_FORBIDDEN("signature.alg_forbidden", "The signature algorithm is not allowed."),
    SIGNATURE_HEADER_FORBIDDEN("signature.header_forbidden", "The JWS header has a parameter that is refused."),
    SIGNATURE_CRIT_UNSUPPORTED("signature.crit_unsupported", "The JWS header marks an extension critical."),
    SIGNATURE_KID_MISSING("signature.kid_missing", "The signature names no key."),
    SIGNATURE_KID_UNKNOWN("signature.kid_unknown", "The signature names a key that is not registered."),
    SIGNATURE_SENDER_MISMATCH("signature.sender_mismatch", "The signing key is not registered to the claimed sender."),
    SIGNATURE_WRAPPING("signature.wrapping", "More than one signature, or a signature that does not cover the whole document."),
    SIGNATURE_INVALID("signature.invalid", "The signature does not verify over this content.");

    private final String code;
    private final String title;

    ProblemCode(String code, String title) {
        this.code = code;
        this.title = title;
    }

    /** The stable code, e.g. {@code signature.invalid}. */
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** The problem type URI of RFC 9457 responses. */
    public URI type() {
        return URI.create("https://tsunagi.jp/problems/" + code);
    }

    public boolean isSignatureProblem() {
        return code.startsWith("signature.");
    }
}
