package jp.tsunagi.gateway.audit;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;

/**
 * One provision of a person's data to a third party (第三者提供), as the gateway forwards it: what a provision
 * record must say (APPI art. 69 / 27-30): who provided, to whom, about whom, which data items, on which basis.
 *
 * @param sender     the agency that provided (送信機関)
 * @param recipient  the agency that received (受信機関)
 * @param subjectRef the person, as a keyed pseudonym ({@link SubjectPseudonyms})
 * @param categories the data categories actually forwarded (after minimization)
 * @param basis      consent, support meeting or vital interest
 * @param basisRef   the consent id or support meeting id, when there is one
 */
public record Provision(String sender, String recipient, String subjectRef, Set<DataCategory> categories,
        LegalBasis basis, String basisRef, String messageId, String referralId) {
    public Provision {
        // the same guard as the audit trail: ids and codes only, never free text
        sender = required("sender", AuditEvent.code("sender", sender, 64));
        recipient = required("recipient", AuditEvent.code("recipient", recipient, 64));
        messageId = required("messageId", AuditEvent.code("messageId", messageId, 64));
        referralId = AuditEvent.code("referralId", referralId, 64);
        basisRef = AuditEvent.code("basisRef", basisRef, 64);
        Objects.requireNonNull(basis, "a provision record names its basis");
        if (subjectRef == null || !AuditEvent.SUBJECT_REF.matcher(subjectRef).matches()) {
            throw new IllegalArgumentException("subjectRef must be a keyed pseudonym (64 hex digits), never an identity");
        }
        if (categories == null || categories.isEmpty()) {
            throw new IllegalArgumentException("a provision record names the data categories provided");
        }
        categories = Collections.unmodifiableSet(EnumSet.copyOf(categories));
    }

    private static String required(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException("a provision record needs its " + field);
        }
        return value;
    }
}
