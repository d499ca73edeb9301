package jp.tsunagi.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import jp.tsunagi.schema.CodeLists;
import jp.tsunagi.schema.DataCategories;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.Message;

/**
 * Minimization (最小化, data minimization of APPI and of the consent's scope): a copy of a message that holds only the
 * data categories its recipient may receive, that is the {@link Decision#allowedCategories()} of the consent engine
 * (what the basis allows, within the recipient type's ceiling of {@code policy.yaml}).
 *
 * <p>The fields of each category are those of {@link DataCategories#carriedBy}, the library's one mapping; after
 * removing them the minimizer checks with that mapping that nothing of a category not allowed is left, so a field the
 * schema gains later is refused loudly rather than forwarded silently. The basis (the consent block) is never touched:
 * it is the record of why the provision is lawful.
 */
public final class Minimizer {
    /** Required by the schema in every referral: without them there is no valid referral to forward. */
    private static final List<DataCategory> REQUIRED_IN_REFERRAL = List.of(DataCategory.IDENTITY, DataCategory.ISSUES);

    /** The members removed per category: {body, member} pairs of the JSON form, mirroring DataCategories.carriedBy. */
    private static final Map<DataCategory, List<String[]>> FIELDS = new EnumMap<>(DataCategory.class);

    static {
        fields(DataCategory.ADDRESS, "referral/subject", "address");
        fields(DataCategory.CONTACT, "referral/subject", "contact");
        fields(DataCategory.HOUSEHOLD, "referral", "household");
        fields(DataCategory.NARRATIVE, "referral", "chiefComplaint");
        fields(DataCategory.NARRATIVE, "statusUpdate", "note");
        fields(DataCategory.EMPLOYMENT, "referral", "employment");
        fields(DataCategory.INCOME_ASSETS, "referral", "incomeAssets");
        fields(DataCategory.TAX_ARREARS, "referral", "taxArrears");
        fields(DataCategory.HEALTH, "referral", "health");
        fields(DataCategory.DISABILITY, "referral", "disability");
        fields(DataCategory.CARE, "referral", "care");
        fields(DataCategory.CHILD_WELFARE, "referral", "childWelfare");
    }

    private static void fields(DataCategory category, String parent, String member) {
        FIELDS.computeIfAbsent(category, c -> new ArrayList<>()).add(new String[] {parent, member});
    }

    /**
     * A deep copy of the message without the categories not in {@code allowed}; the input is not changed.
     *
     * @throws MinimizationRefusedException when the message is a referral and IDENTITY or ISSUES is not allowed
     * @throws IllegalStateException        when a category not allowed is still carried after removal (a schema field
     *                                      this class does not know): fail closed
     */
    public Minimized minimize(Message message, Set<DataCategory> allowed) {
        Objects.requireNonNull(message, "message");
        Set<DataCategory> permitted = allowed.isEmpty() ? EnumSet.noneOf(DataCategory.class) : EnumSet.copyOf(allowed);
        if (message.getReferral() != null) {
            for (DataCategory required : REQUIRED_IN_REFERRAL) {
                if (!permitted.contains(required)) {
                    throw new MinimizationRefusedException("the recipient may not receive " + required + " ("
                            + CodeLists.label(required) + "), which every referral carries; the referral is refused"
                            + " rather than forwarded incomplete (check the ceiling in policy.yaml)",
                            required == DataCategory.IDENTITY ? "/referral/subject" : "/referral/issues");
                }
            }
        }
        Set<DataCategory> carried = DataCategories.carriedBy(message).keySet();
        List<DataCategory> removed = new ArrayList<>();
        for (DataCategory category : carried) {
            if (!permitted.contains(category)) {
                removed.add(category);
            }
        }
        // toTree is a fresh tree: nothing done to it reaches the caller's message
        ObjectNode tree = JsonCodec.toTree(message);
        for (DataCategory category : removed) {
            for (String[] field : FIELDS.getOrDefault(category, List.of())) {
                JsonNode parent = tree.at("/" + field[0]);
                if (parent instanceof ObjectNode object) {
                    object.remove(field[1]);
                }
            }
        }
        Message copy = JsonCodec.bind(tree);
        for (DataCategory left : DataCategories.carriedBy(copy).keySet()) {
            if (!permitted.contains(left)) {
                throw new IllegalStateException("minimization left " + left + " in the message: the minimizer does not"
                        + " know every field of that category");
            }
        }
        Collections.sort(removed);
        return new Minimized(copy, removed);
    }
}
