package jp.tsunagi.schema;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.HouseholdMember;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.Referral;
import jp.tsunagi.schema.model.StatusUpdate;
import jp.tsunagi.schema.model.Subject;

/**
 * Which data categories (情報の区分) a message carries, and where: the unit that consent scope, minimization and
 * the provision record (提供記録) are expressed in. One place decides it, so the validator, the consent engine
 * and the minimizer cannot disagree.
 */
public final class DataCategories {
    private DataCategories() {
    }

    /** Each category the message carries, mapped to the JSON Pointer of the first field that carries it. */
    public static Map<DataCategory, String> carriedBy(Message message) {
        Map<DataCategory, String> carried = new EnumMap<>(DataCategory.class);
        if (message.getReferral() != null) {
            referral(message.getReferral(), carried);
        }
        StatusUpdate update = message.getStatusUpdate();
        if (update != null && update.getNote() != null) {
            carried.put(DataCategory.NARRATIVE, "/statusUpdate/note");
        }
        return carried;
    }

    private static void referral(Referral r, Map<DataCategory, String> carried) {
        Subject subject = r.getSubject();
        if (subject != null) {
            put(carried, DataCategory.IDENTITY, "/referral/subject/name", subject.getName());
            put(carried, DataCategory.IDENTITY, "/referral/subject/kana", subject.getKana());
            put(carried, DataCategory.IDENTITY, "/referral/subject/birthDate", subject.getBirthDate());
            put(carried, DataCategory.ADDRESS, "/referral/subject/address", subject.getAddress());
            put(carried, DataCategory.CONTACT, "/referral/subject/contact", subject.getContact());
        }
        putList(carried, DataCategory.HOUSEHOLD, "/referral/household", r.getHousehold());
        putList(carried, DataCategory.ISSUES, "/referral/issues", r.getIssues());
        putList(carried, DataCategory.ISSUES, "/referral/lifeProblems", r.getLifeProblems());
        putList(carried, DataCategory.ISSUES, "/referral/domains", r.getDomains());
        putList(carried, DataCategory.ISSUES, "/referral/requestedServices", r.getRequestedServices());
        put(carried, DataCategory.NARRATIVE, "/referral/chiefComplaint", r.getChiefComplaint());
        put(carried, DataCategory.EMPLOYMENT, "/referral/employment", r.getEmployment());
        put(carried, DataCategory.INCOME_ASSETS, "/referral/incomeAssets", r.getIncomeAssets());
        put(carried, DataCategory.TAX_ARREARS, "/referral/taxArrears", r.getTaxArrears());
        put(carried, DataCategory.HEALTH, "/referral/health", r.getHealth());
        put(carried, DataCategory.DISABILITY, "/referral/disability", r.getDisability());
        put(carried, DataCategory.CARE, "/referral/care", r.getCare());
        put(carried, DataCategory.CHILD_WELFARE, "/referral/childWelfare", r.getChildWelfare());
        List<HouseholdMember> household = r.getHousehold();
        for (int i = 0; i < household.size(); i++) {
            put(carried, DataCategory.HOUSEHOLD, "/referral/household/" + i, household.get(i));
        }
    }

    private static void put(Map<DataCategory, String> carried, DataCategory category, String pointer, Object value) {
        if (value != null) {
            carried.putIfAbsent(category, pointer);
        }
    }

    private static void putList(Map<DataCategory, String> carried, DataCategory category, String pointer,
            Collection<?> values) {
        if (values != null && !values.isEmpty()) {
            carried.putIfAbsent(category, pointer);
        }
    }
}
