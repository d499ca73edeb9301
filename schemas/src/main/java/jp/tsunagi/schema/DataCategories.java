package jp.tsunagi.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.tsunagi.schema.codec.JsonCodec;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.Domain;
import jp.tsunagi.schema.model.Issue;
import jp.tsunagi.schema.model.LifeProblem;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.Service;

/**
 * Which data categories (情報の区分) a message carries, and where: the unit that consent scope, minimization and
 * the provision record (提供記録) are expressed in. This class is the one owner of that knowledge, so the validator,
 * the consent engine, the minimizer and the provenance cannot disagree:
 * <ul>
 *   <li>{@link #FIELDS}: the fields of each category (JSON Pointers of the message);</li>
 *   <li>{@link #CODE_CATEGORIES}: the codes (課題, 地域生活課題, 属性, 希望する支援) that reveal a sensitive or secret fact
 *       and therefore belong to that fact's category: 病気 is HEALTH, 税・料金滞納 is TAX_ARREARS. Every other code is
 *       ISSUES;</li>
 *   <li>{@link #SENSITIVE}: the special-care categories (要配慮個人情報) a consent must name.</li>
 * </ul>
 *
 * <p>Household members (世帯員) are counted apart: for the subject's basis the household is HOUSEHOLD as a whole
 * ({@link #carriedBy}); each member's own data travels under that member's own basis ({@link #carriedByMember}).
 */
public final class DataCategories {
    /** One field of the message that belongs to a category: a JSON Pointer whose last step is the member name. */
    public record Field(DataCategory category, String pointer) {
        /** The pointer of the object that holds the field. */
        public String parent() {
            return pointer.substring(0, pointer.lastIndexOf('/'));
        }

        /** The member name of the field in its parent. */
        public String member() {
            return pointer.substring(pointer.lastIndexOf('/') + 1);
        }
    }

    /** The fields of each category, in schema order. The codes of the lists in {@link #CODE_LISTS} are counted apart. */
    public static final List<Field> FIELDS = List.of(
            new Field(DataCategory.IDENTITY, "/referral/subject/name"),
            new Field(DataCategory.IDENTITY, "/referral/subject/kana"),
            new Field(DataCategory.IDENTITY, "/referral/subject/birthDate"),
            new Field(DataCategory.ADDRESS, "/referral/subject/address"),
            new Field(DataCategory.CONTACT, "/referral/subject/contact"),
            new Field(DataCategory.HOUSEHOLD, "/referral/household"),
            new Field(DataCategory.NARRATIVE, "/referral/chiefComplaint"),
            new Field(DataCategory.EMPLOYMENT, "/referral/employment"),
            new Field(DataCategory.INCOME_ASSETS, "/referral/incomeAssets"),
            new Field(DataCategory.TAX_ARREARS, "/referral/taxArrears"),
            new Field(DataCategory.HEALTH, "/referral/health"),
            new Field(DataCategory.DISABILITY, "/referral/disability"),
            new Field(DataCategory.CARE, "/referral/care"),
            new Field(DataCategory.CHILD_WELFARE, "/referral/childWelfare"),
            new Field(DataCategory.NARRATIVE, "/statusUpdate/note"));

    /** The code lists of a referral (JSON Pointer of the array, and the code list of its items). */
    public static final Map<String, Class<? extends Enum<?>>> CODE_LISTS = codeLists();

    /**
     * The code-to-category table (コードの区分): each code that tells the recipient a sensitive or secret fact by itself
     * belongs to the category of that fact, for consent and for minimization alike. Codes not listed are ISSUES.
     * DV and abuse are CHILD_WELFARE, the category of protection from abuse (docs/policy.md); employment codes stay
     * ISSUES (a difficulty finding work is the reason for the referral, not an employment record).
     */
    public static final Map<Enum<?>, DataCategory> CODE_CATEGORIES = codeCategories();

    /** Required by the schema in every referral (本人の識別 and 課題): a referral cannot go without them. */
    public static final Set<DataCategory> REQUIRED_IN_REFERRAL =
            Collections.unmodifiableSet(EnumSet.of(DataCategory.IDENTITY, DataCategory.ISSUES));

    /**
     * Special-care personal information (要配慮個人情報, APPI art. 2(3)): never provided on a consent that does not name
     * it. CHILD_WELFARE counts: child-welfare notes and the DV・虐待 code reveal abuse (a person as the victim of a
     * crime) or juvenile protection proceedings, both listed in the Cabinet Order (施行令第2条). CARE does not count on
     * its own (a care level is not listed), and TAX_ARREARS has its own stricter rule (地方税法第22条).
     */
    public static final Set<DataCategory> SENSITIVE = Collections.unmodifiableSet(
            EnumSet.of(DataCategory.HEALTH, DataCategory.DISABILITY, DataCategory.CHILD_WELFARE));

    private DataCategories() {
    }

    /** The category of one code of any code list: its entry in {@link #CODE_CATEGORIES}, otherwise ISSUES. */
    public static DataCategory of(Enum<?> code) {
        return CODE_CATEGORIES.getOrDefault(code, DataCategory.ISSUES);
    }

    /**
     * Each category the subject's part of a message carries, mapped to the JSON Pointer of the first field or code
     * that carries it. The household counts as HOUSEHOLD only: its members' own data is {@link #carriedByMember}'s.
     */
    public static Map<DataCategory, String> carriedBy(Message message) {
        JsonNode tree = JsonCodec.toTree(message);
        Map<DataCategory, String> carried = new EnumMap<>(DataCategory.class);
        for (Field field : FIELDS) {
            if (present(tree.at(field.pointer()))) {
                carried.putIfAbsent(field.category(), field.pointer());
            }
        }
        for (Map.Entry<String, Class<? extends Enum<?>>> list : CODE_LISTS.entrySet()) {
            codes(tree.at(list.getKey()), list.getKey(), list.getValue(), carried);
        }
        return carried;
    }

    /**
     * Each category the member's own data carries (IDENTITY for name, kana and birth date; each issue code in its
     * category), mapped to the pointer of the first field that carries it; empty when there is no such member.
     */
    public static Map<DataCategory, String> carriedByMember(Message message, int index) {
        String at = "/referral/household/" + index;
        JsonNode member = JsonCodec.toTree(message).at(at);
        Map<DataCategory, String> carried = new EnumMap<>(DataCategory.class);
        if (!present(member)) {
            return carried;
        }
        for (String identity : List.of("name", "kana", "birthDate")) {
            if (present(member.get(identity))) {
                carried.putIfAbsent(DataCategory.IDENTITY, at + "/" + identity);
            }
        }
        codes(member.get("issues"), at + "/issues", Issue.class, carried);
        return carried;
    }

    /**
     * How much of each category a message carries: one per field present, one per code, one per household member
     * (HOUSEHOLD) and one per code of a member. Comparing the counts before and after minimization says exactly which
     * categories lost something, so the provenance never claims a removal that did not happen, nor hides one.
     */
    public static Map<DataCategory, Integer> amounts(Message message) {
        JsonNode tree = JsonCodec.toTree(message);
        Map<DataCategory, Integer> amounts = new EnumMap<>(DataCategory.class);
        for (Field field : FIELDS) {
            JsonNode node = tree.at(field.pointer());
            if (present(node)) {
                amounts.merge(field.category(), node.isArray() ? node.size() : 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Class<? extends Enum<?>>> list : CODE_LISTS.entrySet()) {
            tree.at(list.getKey()).forEach(code -> amounts.merge(of(list.getValue(), code.asText()), 1, Integer::sum));
        }
        tree.at("/referral/household").forEach(member -> member.path("issues")
                .forEach(code -> amounts.merge(of(Issue.class, code.asText()), 1, Integer::sum)));
        return amounts;
    }

    private static void codes(JsonNode array, String pointer, Class<? extends Enum<?>> list,
            Map<DataCategory, String> carried) {
        if (array == null) {
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            carried.putIfAbsent(of(list, array.get(i).asText()), pointer + "/" + i);
        }
    }

    /** The category of a code given as text; a text that is no code of the list is ISSUES (the schema refuses it). */
    public static DataCategory of(Class<? extends Enum<?>> list, String code) {
        for (Enum<?> constant : list.getEnumConstants()) {
            if (constant.name().equals(code)) {
                return of(constant);
            }
        }
        return DataCategory.ISSUES;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isMissingNode() && !node.isNull() && !(node.isContainerNode() && node.isEmpty());
    }

    private static Map<String, Class<? extends Enum<?>>> codeLists() {
        Map<String, Class<? extends Enum<?>>> lists = new LinkedHashMap<>();
        lists.put("/referral/issues", Issue.class);
        lists.put("/referral/lifeProblems", LifeProblem.class);
        lists.put("/referral/domains", Domain.class);
        lists.put("/referral/requestedServices", Service.class);
        return Collections.unmodifiableMap(lists);
    }

    private static Map<Enum<?>, DataCategory> codeCategories() {
        Map<Enum<?>, DataCategory> table = new LinkedHashMap<>();
        table.put(Issue.ILLNESS, DataCategory.HEALTH);                              // 病気
        table.put(Issue.DISABILITY_SUSPECTED, DataCategory.DISABILITY);             // 障害(の疑い)
        table.put(Issue.TAX_FEE_ARREARS, DataCategory.TAX_ARREARS);                 // 税・料金滞納
        table.put(Issue.DOMESTIC_VIOLENCE_ABUSE, DataCategory.CHILD_WELFARE);       // DV・虐待
        table.put(Issue.DOUBLE_CARE, DataCategory.CARE);                            // ダブルケア
        table.put(Issue.YOUNG_CARER, DataCategory.CARE);                            // ヤングケアラー
        table.put(LifeProblem.HEALTH_MEDICAL, DataCategory.HEALTH);                 // 保健医療
        table.put(LifeProblem.LONG_TERM_CARE, DataCategory.CARE);                   // 介護
        table.put(LifeProblem.CARE_PREVENTION, DataCategory.CARE);                  // 介護予防
        table.put(Domain.DISABILITY, DataCategory.DISABILITY);                      // 障害
        table.put(Service.DAILY_LIFE_INDEPENDENCE_SUPPORT, DataCategory.DISABILITY); // 日常生活自立支援事業 (判断能力が不十分な方)
        table.put(Service.COMMUNITY_INTEGRATED_CARE, DataCategory.CARE);            // 地域包括ケア
        return Collections.unmodifiableMap(table);
    }
}
