package jp.tsunagi.gateway.policy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;

/**
 * The consent engine's explained decision (判断とその理由) on one message: whether it may go, the stable code, the
 * rule in words (naming the law), the JSON Pointer of the field that decided, the lawful basis, whether a person must
 * review it, and the data categories the recipient may receive (what the minimizer keeps).
 *
 * <p>It never holds personal data: codes, agency types, category names and pointers only, so it can be logged, put in
 * a problem response and in the audit trail as it is.
 *
 * @param field             JSON Pointer of the deciding field, or empty
 * @param basis             the basis the decision rests on; null for message types that follow their referral
 *                          (status update, receipt, consent withdrawal) or when the referral names none
 * @param allowedCategories empty when refused
 * @param members           for a referral allowed, one decision per household member (世帯員), in order: each member's
 *                          data travels only under that member's own basis, and only the member's allowed categories;
 *                          a member whose decision is not allowed is removed by minimization (not refused)
 */
public record Decision(boolean allowed, String code, String rule, String field, LegalBasis basis,
                       boolean reviewRequired, Set<DataCategory> allowedCategories, List<Decision> members) {
    public Decision {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(rule, "rule");
        field = field == null ? "" : field;
        EnumSet<DataCategory> categories = EnumSet.noneOf(DataCategory.class);
        if (allowed && allowedCategories != null) {
            categories.addAll(allowedCategories);
        }
        // an unmodifiable EnumSet iterates in schema order, so audit entries list categories stably
        allowedCategories = Collections.unmodifiableSet(categories);
        members = members == null ? List.of() : List.copyOf(members);
    }

    /** This decision with the decisions on the household members; a member kept on a vital interest needs review. */
    Decision withMembers(List<Decision> memberDecisions) {
        boolean review = reviewRequired || memberDecisions.stream().anyMatch(m -> m.allowed() && m.reviewRequired());
        return new Decision(allowed, code, rule, field, basis, review, allowedCategories, memberDecisions);
    }

    /** The positions of the household members whose data may not go (removed by minimization). */
    public List<Integer> membersRemoved() {
        return java.util.stream.IntStream.range(0, members.size()).filter(i -> !members.get(i).allowed()).boxed().toList();
    }

    static Decision allow(String code, String rule, String field, LegalBasis basis, boolean reviewRequired,
                          Set<DataCategory> allowedCategories) {
        return new Decision(true, code, rule, field, basis, reviewRequired, allowedCategories, List.of());
    }

    static Decision refuse(String code, String rule, String field, LegalBasis basis) {
        return new Decision(false, code, rule, field, basis, false, Set.of(), List.of());
    }
}
