package jp.tsunagi.gateway.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jp.tsunagi.gateway.audit.SubjectIdentity;
import jp.tsunagi.gateway.audit.SubjectPseudonyms;
import jp.tsunagi.gateway.policy.Decision;
import jp.tsunagi.gateway.referral.ReferralLedger;
import jp.tsunagi.schema.DataCategories;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.HouseholdMember;
import jp.tsunagi.schema.model.LegalBasis;
import jp.tsunagi.schema.model.Message;

/**
 * The household members (世帯員) a forwarded referral still carries, each a person in her own right: her consent is a
 * consent the copy travels under (withdrawing it stops the copy like the subject's), and she gets her own provision
 * record (提供記録), so that her disclosure request shows what was sent about her. Members minimization removed are
 * not here: nothing of them was provided.
 */
record HouseholdProvisions(List<Member> kept, List<ReferralLedger.ConsentUse> consentUses) {
    /** One kept member: her pseudonym (null when she has no kana name or birth date to derive it from), what went. */
    record Member(String subjectRef, Set<DataCategory> categories, LegalBasis basis, Basis basisOf) {
    }

    /**
     * @param original  the message as the sender sent it
     * @param forwarded the minimized copy (its household holds the kept members, in their original order)
     * @param decision  the consent engine's decision, with one decision per member of the original household
     */
    static HouseholdProvisions of(Message original, Message forwarded, Decision decision, SubjectPseudonyms pseudonyms) {
        List<HouseholdMember> household = original.getReferral().getHousehold();
        List<Member> kept = new ArrayList<>();
        List<ReferralLedger.ConsentUse> uses = new ArrayList<>();
        int position = 0; // position of the member in the forwarded copy's household
        for (int i = 0; i < household.size() && i < decision.members().size(); i++) {
            Decision member = decision.members().get(i);
            if (!member.allowed()) {
                continue;
            }
            HouseholdMember person = household.get(i);
            Basis basis = person.getBasis();
            if (basis != null && basis.getConsent() != null) {
                Instant expires = basis.getConsent().getExpiresAt() == null ? null : basis.getConsent().getExpiresAt().toInstant();
                uses.add(new ReferralLedger.ConsentUse(basis.getConsent().getConsentId(), expires));
            }
            String ref = SubjectIdentity.of(person).map(pseudonyms::subjectRef).orElse(null);
            if (ref != null && member.basis() != null) {
                kept.add(new Member(ref, DataCategories.carriedByMember(forwarded, position).keySet(), member.basis(), basis));
            }
            position++;
        }
        return new HouseholdProvisions(List.copyOf(kept), List.copyOf(uses));
    }
}
