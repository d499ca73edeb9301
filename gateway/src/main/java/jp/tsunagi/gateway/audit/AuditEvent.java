package jp.tsunagi.gateway.audit;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;

/**
 * What one audit entry records, before it gets its place in the chain. Only codes, ids, hashes and keyed
 * pseudonyms: every text field must be a short ASCII code ({@link #CODE}), so that a name, an address or a
 * chief complaint (主訴) cannot end up in the trail even by mistake: anything else is refused here.
 *
 * <p>Build it with {@link #of} and the {@code with...} methods:
 * <pre>{@code AuditEvent.of(AuditAction.REJECTED, "tsunagi-tax").withMessage(messageId, referralId)
 *         .withSubject(subjectRef).withOutcome("refused").withCode("consent.expired")}</pre>
 *
 * @param actor      who acted: an agency id, the gateway's configured id (agencies.yaml, section gateway), or an administrator's login name
 * @param action     what happened
 * @param messageId  the message concerned, if any
 * @param referralId the referral concerned, if any
 * @param subjectRef the person concerned as a keyed pseudonym ({@link SubjectPseudonyms}), if any
 * @param categories data categories concerned (carried, forwarded or removed, depending on the action)
 * @param basis      the basis code, e.g. {@code CONSENT:<consentId>}, {@code SUPPORT_MEETING:<meetingId>}
 * @param outcome    a short result code, e.g. {@code accepted}, {@code refused}, {@code delivered}, {@code http-503}
 * @param code       a rejection or decision code, e.g. {@code consent.expired}, {@code rule.recipient-in-scope}
 */
public record AuditEvent(String actor, AuditAction action, String messageId, String referralId, String subjectRef,
        Set<DataCategory> categories, String basis, String outcome, String code) {

    /** The shape of every text field: a code or id, never prose (no spaces, no Japanese, no personal data). */
    public static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:#@/+=\\-]*");
    /** A subject pseudonym: HMAC-SHA256 in lower-case hex. */
    public static final Pattern SUBJECT_REF = Pattern.compile("[0-9a-f]{64}");

    public AuditEvent {
        if (action == null) {
            throw new IllegalArgumentException("an audit event needs an action");
        }
        actor = code("actor", actor, 128);
        if (actor == null) {
            throw new IllegalArgumentException("an audit event needs an actor");
        }
        messageId = code("messageId", messageId, 64);
        referralId = code("referralId", referralId, 64);
        subjectRef = blankToNull(subjectRef);
        if (subjectRef != null && !SUBJECT_REF.matcher(subjectRef).matches()) {
            throw new IllegalArgumentException("subjectRef must be a keyed pseudonym (64 hex digits), never an identity");
        }
        categories = categories == null || categories.isEmpty()
                ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(categories));
        basis = code("basis", basis, 128);
        outcome = code("outcome", outcome, 64);
        code = code("code", code, 128);
    }

    public static AuditEvent of(AuditAction action, String actor) {
        return new AuditEvent(actor, action, null, null, null, Set.of(), null, null, null);
    }

    public AuditEvent withMessage(String messageId, String referralId) {
        return new AuditEvent(actor, action, messageId, referralId, subjectRef, categories, basis, outcome, code);
    }

    public AuditEvent withSubject(String subjectRef) {
        return new AuditEvent(actor, action, messageId, referralId, subjectRef, categories, basis, outcome, code);
    }

    public AuditEvent withCategories(Collection<DataCategory> categories) {
        Set<DataCategory> set = categories == null || categories.isEmpty() ? Set.of() : EnumSet.copyOf(categories);
        return new AuditEvent(actor, action, messageId, referralId, subjectRef, set, basis, outcome, code);
    }

    /** The basis as {@code TYPE} or {@code TYPE:reference} (consent id or support meeting id). */
    public AuditEvent withBasis(LegalBasis type, String reference) {
        String value = type == null ? null : reference == null || reference.isBlank() ? type.name() : type.name() + ":" + reference;
        return new AuditEvent(actor, action, messageId, referralId, subjectRef, categories, value, outcome, code);
    }

    public AuditEvent withOutcome(String outcome) {
        return new AuditEvent(actor, action, messageId, referralId, subjectRef, categories, basis, outcome, code);
    }

    public AuditEvent withCode(String code) {
        return new AuditEvent(actor, action, messageId, referralId, subjectRef, categories, basis, outcome, code);
    }

    /** The categories as stored: codes in schema order, comma-separated; null when there are none. */
    String categoryList() {
        return categoryList(categories);
    }

    static String categoryList(Set<DataCategory> categories) {
        if (categories == null || categories.isEmpty()) {
            return null;
        }
        return EnumSet.copyOf(categories).stream().map(Enum::name).collect(Collectors.joining(","));
    }

    /** The value as a code or id (blank: null), or an exception that does not repeat it. */
    static String code(String field, String value, int maxLength) {
        value = blankToNull(value);
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength || !CODE.matcher(value).matches()) {
            // the value itself is not repeated: it may be exactly the personal data this check keeps out
            throw new IllegalArgumentException("audit " + field + " must be a code or id of at most " + maxLength
                    + " characters [A-Za-z0-9_.:#@/+=-], never free text");
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
