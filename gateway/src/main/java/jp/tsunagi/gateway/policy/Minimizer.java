package jp.tsunagi.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jp.tsunagi.schema.CodeLists;
import jp.tsunagi.schema.DataCategories;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.Issue;
import jp.tsunagi.schema.model.Message;

/**
 * Minimization (最小化, data minimization of APPI and of the consent's scope): a copy of a message that holds only the
 * data its recipient may receive, person by person. For the subject: the {@link Decision#allowedCategories()} of the
 * consent engine (what the basis allows, within the recipient type's ceiling of {@code policy.yaml}). For each
 * household member: that member's own decision ({@link Decision#members()}); a member without one is removed whole.
 *
 * <p>What belongs to which category is {@link DataCategories}' knowledge (its fields and its code-to-category table:
 * a 病気 issue code is HEALTH, so it goes where HEALTH may go). After removing, the minimizer checks with the same
 * table that nothing of a category not allowed is left, so a field the schema gains later is refused loudly rather
 * than forwarded silently; and it lists as removed exactly the categories the copy carries less of than the original.
 * The basis (the consent blocks) is never touched: it is the record of why the provision is lawful.
 */
public final class Minimizer {

    private static final String HOUSEHOLD = "/referral/household";

    /** The copy the consent engine's decision allows: the subject's categories and each member's own. */
    public Minimized minimize(Message message, Decision decision) {
        return minimize(message, decision.allowedCategories(),
                decision.members().stream().map(Decision::allowedCategories).toList());
    }

    /** The copy with the subject's {@code allowed} categories and no household member (none has a basis). */
    public Minimized minimize(Message message, Set<DataCategory> allowed) {
        return minimize(message, allowed, List.of());
    }

    /**
     * A deep copy of the message without what is not allowed; the input is not changed.
     *
     * @param members per household member (by position), the categories its own basis allows; a member without an
     *                entry, or whose entry lacks IDENTITY, is removed
     * @throws MinimizationRefusedException when the message is a referral and IDENTITY or ISSUES is not allowed, or
     *                                      every issue code is of a category not allowed
     * @throws IllegalStateException        when something not allowed is still carried after removal (a schema field
     *                                      this class does not know): fail closed
     */
    public Minimized minimize(Message message, Set<DataCategory> allowed, List<Set<DataCategory>> members) {
        Objects.requireNonNull(message, "message");
        Set<DataCategory> permitted = copy(allowed);
        if (message.getReferral() != null) {
            for (DataCategory required : DataCategories.REQUIRED_IN_REFERRAL) {
                if (!permitted.contains(required)) {
                    throw new MinimizationRefusedException("the recipient may not receive " + required + " ("
                            + CodeLists.label(required) + "), which every referral carries; the referral is refused"
                            + " rather than forwarded incomplete (check the ceiling in policy.yaml)",
                            required == DataCategory.IDENTITY ? "/referral/subject" : "/referral/issues");
                }
            }
        }
        // toTree is a fresh tree: nothing done to it reaches the caller's message
        ObjectNode tree = JsonCodec.toTree(message);
        int householdSize = tree.at(HOUSEHOLD).size();
        for (DataCategories.Field field : DataCategories.FIELDS) {
            if (!permitted.contains(field.category()) && tree.at(field.parent()) instanceof ObjectNode parent) {
                parent.remove(field.member());
            }
        }
        for (Map.Entry<String, Class<? extends Enum<?>>> list : DataCategories.CODE_LISTS.entrySet()) {
            removeCodes(tree, list.getKey(), list.getValue(), permitted);
        }
        if (message.getReferral() != null && tree.at("/referral/issues").isMissingNode()) {
            throw new MinimizationRefusedException("every issue code of the referral is of a category the recipient may"
                    + " not receive (e.g. 病気 is HEALTH); the referral is refused rather than forwarded without issues",
                    "/referral/issues");
        }
        List<Integer> removedMembers = new ArrayList<>();
        List<Integer> kept = household(tree, members, householdSize, removedMembers);
        Message copy = JsonCodec.bind(tree);
        failClosed(copy, permitted, members, kept);
        Map<DataCategory, Integer> before = DataCategories.amounts(message);
        Map<DataCategory, Integer> after = DataCategories.amounts(copy);
        List<DataCategory> removed = before.keySet().stream()
                .filter(c -> after.getOrDefault(c, 0) < before.get(c)).sorted().toList();
        return new Minimized(copy, removed, removedMembers);
    }

    /** Keeps each member its own basis allows, reduced to that basis' categories; returns the kept positions. */
    private static List<Integer> household(ObjectNode tree, List<Set<DataCategory>> members, int size,
            List<Integer> removedMembers) {
        List<Integer> kept = new ArrayList<>();
        if (!(tree.at(HOUSEHOLD) instanceof ArrayNode household)) {
            // the subject's basis does not allow HOUSEHOLD: nobody of the household goes
            for (int i = 0; i < size; i++) {
                removedMembers.add(i);
            }
            return kept;
        }
        ArrayNode remaining = household.arrayNode();
        for (int i = 0; i < household.size(); i++) {
            Set<DataCategory> own = i < members.size() ? copy(members.get(i)) : EnumSet.noneOf(DataCategory.class);
            if (!own.contains(DataCategory.IDENTITY)) {
                removedMembers.add(i);
                continue;
            }
            ObjectNode member = (ObjectNode) household.get(i);
            removeCodes(member, "/issues", Issue.class, own);
            remaining.add(member);
            kept.add(i);
        }
        ObjectNode referral = (ObjectNode) tree.get("referral");
        if (remaining.isEmpty()) {
            referral.remove("household");
        } else {
            referral.set("household", remaining);
        }
        return kept;
    }

    private static void removeCodes(JsonNode tree, String pointer, Class<? extends Enum<?>> list,
            Set<DataCategory> permitted) {
        if (!(tree.at(pointer) instanceof ArrayNode codes)) {
            return;
        }
        for (int i = codes.size() - 1; i >= 0; i--) {
            if (!permitted.contains(DataCategories.of(list, codes.get(i).asText()))) {
                codes.remove(i);
            }
        }
        if (codes.isEmpty()) {
            ((ObjectNode) tree.at(pointer.substring(0, pointer.lastIndexOf('/')))).remove(pointer.substring(pointer.lastIndexOf('/') + 1));
        }
    }

    private static void failClosed(Message copy, Set<DataCategory> permitted, List<Set<DataCategory>> members,
            List<Integer> kept) {
        for (DataCategory left : DataCategories.carriedBy(copy).keySet()) {
            if (!permitted.contains(left)) {
                throw new IllegalStateException("minimization left " + left + " in the message: the minimizer does not"
                        + " know every field of that category");
            }
        }
        for (int j = 0; j < kept.size(); j++) {
            for (DataCategory left : DataCategories.carriedByMember(copy, j).keySet()) {
                if (!members.get(kept.get(j)).contains(left)) {
                    throw new IllegalStateException("minimization left " + left + " in household member " + kept.get(j));
                }
            }
        }
    }

    private static Set<DataCategory> copy(Set<DataCategory> categories) {
        return categories.isEmpty() ? EnumSet.noneOf(DataCategory.class) : EnumSet.copyOf(categories);
    }
}
