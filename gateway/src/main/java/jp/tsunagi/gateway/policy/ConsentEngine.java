package jp.tsunagi.gateway.policy;

import jp.tsunagi.schema.JapanTime;
import jp.tsunagi.schema.validation.ModelRules;
import static jp.tsunagi.gateway.policy.PolicyCodes.BASIS_MISSING;
import static jp.tsunagi.gateway.policy.PolicyCodes.BASIS_NOT_ALLOWED;
import static jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_CATEGORY_NOT_NAMED;
import static jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_EXPIRED;
import static jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_GIVER_NOT_ENTITLED;
import static jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_REPRESENTATIVE_UNPROVEN;
import static jp.tsunagi.gateway.policy.PolicyCodes.MEMBER_NO_BASIS;
import static jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_NOT_YET_OBTAINED;
import static jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_PURPOSE_NOT_NAMED;
import static jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_RECIPIENT_NOT_NAMED;
import static jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_SENSITIVE_NOT_NAMED;
import static jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_TAX_REQUIRES_CONSENT;
import static jp.tsunagi.gateway.policy.PolicyCodes.CONSENT_WITHDRAWN;
import static jp.tsunagi.gateway.policy.PolicyCodes.LAWFUL_CONSENT;
import static jp.tsunagi.gateway.policy.PolicyCodes.LAWFUL_FOLLOWS_REFERRAL;
import static jp.tsunagi.gateway.policy.PolicyCodes.LAWFUL_SUPPORT_MEETING;
import static jp.tsunagi.gateway.policy.PolicyCodes.LAWFUL_VITAL_INTEREST;
import static jp.tsunagi.gateway.policy.PolicyCodes.MESSAGE_TYPE_NOT_ALLOWED;
import static jp.tsunagi.gateway.policy.PolicyCodes.RECIPIENT_DOES_NOT_ACCEPT;
import static jp.tsunagi.gateway.policy.PolicyCodes.ROUTE_NOT_ALLOWED;
import static jp.tsunagi.gateway.policy.PolicyCodes.SUPPORT_MEETING_NOT_MEMBER;
import static jp.tsunagi.gateway.policy.PolicyCodes.SUPPORT_MEETING_UNKNOWN;
import static jp.tsunagi.gateway.policy.PolicyCodes.VITAL_INTEREST_JUSTIFICATION_MISSING;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import jp.tsunagi.gateway.config.Agency;
import jp.tsunagi.schema.CodeLists;
import jp.tsunagi.schema.DataCategories;
import jp.tsunagi.schema.model.AgencyType;
import jp.tsunagi.schema.model.Basis;
import jp.tsunagi.schema.model.Consent;
import jp.tsunagi.schema.model.ConsentGiver;
import jp.tsunagi.schema.model.ConsentRecipient;
import jp.tsunagi.schema.model.HouseholdMember;
import jp.tsunagi.schema.model.Representative;
import jp.tsunagi.schema.model.RepresentativeKind;
import jp.tsunagi.schema.model.DataCategory;
import jp.tsunagi.schema.model.LegalBasis;
import jp.tsunagi.schema.model.Message;
import jp.tsunagi.schema.model.MessageType;
import jp.tsunagi.schema.model.Referral;
import jp.tsunagi.schema.model.SupportMeeting;

/**
 * The consent engine (同意エンジン): decides whether the law and the municipality's policy allow one message to go
 * from its sender to its recipient, and explains why (docs/policy.md section 2). Plain Java, no transport: the gateway asks
 * it once per recipient, after the signature and before anything is stored or forwarded.
 *
 * <p>The checks run in a fixed order and the first that fails decides, so the same message always gets the same code:
 * the route of {@code policy.yaml}; then, for a referral, its basis. Status updates, receipts and consent withdrawals
 * are checked against the route only: their lawfulness follows the referral, and the referral lifecycle decides who
 * may send them.
 */
public final class ConsentEngine {
    /** The kinds of representative that represent only a minor (親権者, 未成年後見人). */
    private static final Set<RepresentativeKind> MINORS_ONLY = Collections.unmodifiableSet(
            EnumSet.of(RepresentativeKind.PARENTAL_AUTHORITY, RepresentativeKind.MINOR_GUARDIAN));

    /** 成年年齢 (民法第4条, since 2022). */
    private static final int AGE_OF_MAJORITY = 18;


    private static final String CONSENT_LAW = "APPI (個人情報保護法) art. 69 for public bodies, art. 27 for contracted operators";

    private final PolicyConfig policy;
    private final ConsentLedger ledger;

    public ConsentEngine(PolicyConfig policy, ConsentLedger ledger) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * Decides one message for one recipient.
     *
     * @param sender    the registered agency of {@code message.sender}
     * @param recipient the registered agency of {@code message.recipient}
     * @param now       the moment of the decision (expiry and withdrawal are judged at it)
     * @throws IllegalArgumentException when the agencies are not the message's sender and recipient (a wiring error)
     */
    public Decision decide(Message message, Agency sender, Agency recipient, Instant now) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(now, "now");
        if (!sender.id().equals(message.getSender()) || !recipient.id().equals(message.getRecipient())) {
            throw new IllegalArgumentException("the agencies given are not the sender and recipient of the message");
        }
        MessageType type = message.getMessageType();
        Referral referral = message.getReferral();
        LegalBasis kind = type == MessageType.REFERRAL && referral != null ? kindOf(referral.getBasis()) : null;
        String route = typeName(sender.type()) + " -> " + typeName(recipient.type());

        List<AllowedFlow> flows = policy.flowsBetween(sender.type(), recipient.type());
        if (flows.isEmpty()) {
            return Decision.refuse(ROUTE_NOT_ALLOWED, "policy.yaml allows no flow " + route
                    + "; anything the policy does not allow is refused", "/recipient", kind);
        }
        List<AllowedFlow> forType = flows.stream().filter(f -> f.carries(type)).toList();
        if (forType.isEmpty()) {
            return Decision.refuse(MESSAGE_TYPE_NOT_ALLOWED, "policy.yaml allows no " + type + " on the route " + route
                    + " (flows " + ids(flows) + ")", "/messageType", kind);
        }
        if (!recipient.accepts(type)) {
            return Decision.refuse(RECIPIENT_DOES_NOT_ACCEPT, "agencies.yaml: the recipient does not accept " + type,
                    "/messageType", kind);
        }
        Set<DataCategory> ceiling = policy.ceiling(recipient.type());
        if (type != MessageType.REFERRAL) {
            return Decision.allow(LAWFUL_FOLLOWS_REFERRAL, type + " on the route " + route + " (flow "
                    + forType.get(0).id() + "): its lawfulness follows the referral, and the referral lifecycle decides"
                    + " who may send it; the recipient may receive what its ceiling allows", "", null, false, ceiling);
        }
        if (kind == null) {
            return Decision.refuse(BASIS_MISSING, "a referral names its lawful basis: the person's consent, a support"
                    + " meeting or the protection of life; without one nothing is provided",
                    "/referral/basis", null);
        }
        Optional<AllowedFlow> flow = forType.stream().filter(f -> f.allows(kind)).findFirst();
        if (flow.isEmpty()) {
            return Decision.refuse(BASIS_NOT_ALLOWED, "policy.yaml does not allow referrals on the basis " + kind
                    + " on the route " + route + " (flows " + ids(forType) + ")", basisPointer(kind), kind);
        }
        Map<DataCategory, String> carried = DataCategories.carriedBy(message);
        String flowId = flow.get().id();
        Basis basis = referral.getBasis();
        Decision decision = basis(message, basis, "/referral/basis", birthDate(referral), recipient, carried, ceiling,
                flowId, now);
        if (!decision.allowed()) {
            return decision;
        }
        List<Decision> members = new ArrayList<>();
        for (int i = 0; i < referral.getHousehold().size(); i++) {
            members.add(member(message, i, referral.getHousehold().get(i), recipient, forType, ceiling, now));
        }
        return decision.withMembers(members);
    }

    /** The decision on one basis: the referral's (for the subject) or a household member's own. */
    private Decision basis(Message message, Basis basis, String at, LocalDate birthDate, Agency recipient,
                           Map<DataCategory, String> carried, Set<DataCategory> ceiling, String flowId, Instant now) {
        return switch (kindOf(basis)) {
            case CONSENT -> consent(message.getReferral(), basis.getConsent(), at + "/consent", birthDate, recipient,
                    carried, ceiling, flowId, now);
            case SUPPORT_MEETING -> supportMeeting(message, basis.getSupportMeeting(), at + "/supportMeeting", carried,
                    ceiling, flowId);
            case VITAL_INTEREST -> vitalInterest(basis.getVitalInterest().getJustification(), at + "/vitalInterest",
                    carried, ceiling, flowId);
        };
    }

    /**
     * One household member (世帯員): each person is their own subject, so the member's data goes only under the
     * member's own basis (their consent, a representative's, or a statutory basis), within what that basis and the
     * recipient's ceiling allow. A member without one is removed by minimization, never carried on someone else's
     * consent. What the member's basis does not cover (a code of a category it does not name) is removed, not refused:
     * the referral is about its subject.
     */
    private Decision member(Message message, int index, HouseholdMember member, Agency recipient,
                            List<AllowedFlow> flows, Set<DataCategory> ceiling, Instant now) {
        String at = "/referral/household/" + index + "/basis";
        LegalBasis kind = kindOf(member.getBasis());
        if (kind == null) {
            return Decision.refuse(MEMBER_NO_BASIS, "each person is their own subject: a household member's data goes"
                    + " only under that member's own basis, never under another person's consent (" + CONSENT_LAW
                    + "); the member is removed", at, null);
        }
        Optional<AllowedFlow> flow = flows.stream().filter(f -> f.allows(kind)).findFirst();
        if (flow.isEmpty()) {
            return Decision.refuse(BASIS_NOT_ALLOWED, "policy.yaml does not allow the basis " + kind + " on this route;"
                    + " the member is removed", at, kind);
        }
        // the member's own data (tax codes included) is reduced to what the basis allows rather than refused
        Decision decision = basis(message, member.getBasis(), at, member.getBirthDate(), recipient, Map.of(), ceiling,
                flow.get().id(), now);
        if (decision.allowed() && !decision.allowedCategories().contains(DataCategory.IDENTITY)) {
            return Decision.refuse(CONSENT_CATEGORY_NOT_NAMED, "the member's basis does not let the recipient receive "
                    + category(DataCategory.IDENTITY) + ", without which nothing of the member can go; the member is"
                    + " removed", at, kind);
        }
        return decision;
    }

    private Decision consent(Referral referral, Consent consent, String at, LocalDate birthDate, Agency recipient,
                             Map<DataCategory, String> carried, Set<DataCategory> ceiling, String flowId, Instant now) {
        LegalBasis basis = LegalBasis.CONSENT;
        Decision giver = giver(consent, at, birthDate, now);
        if (giver != null) {
            return giver;
        }
        if (consent.getObtainedAt() == null || consent.getObtainedAt().toInstant().isAfter(now.plus(ModelRules.CLOCK_SKEW))) {
            return Decision.refuse(CONSENT_NOT_YET_OBTAINED, "a consent covers only what happens after it is obtained"
                    + " (本人同意は提供より前に): obtainedAt lies in the future", at + "/obtainedAt", basis);
        }
        if (consent.getExpiresAt() == null || !consent.getExpiresAt().toInstant().isAfter(now)) {
            return Decision.refuse(CONSENT_EXPIRED, "the consent has expired (同意の有効期限切れ): it covers provision only"
                    + " until its expiresAt; obtain a new consent", at + "/expiresAt", basis);
        }
        if (consent.getConsentId() == null) {
            return Decision.refuse(BASIS_MISSING, "a consent without a consentId cannot be checked for withdrawal",
                    at + "/consentId", basis);
        }
        if (ledger.withdrawnAt(consent.getConsentId()).isPresent()) {
            // a withdrawal dated later than now is still honoured: the person has said stop (fail closed)
            return Decision.refuse(CONSENT_WITHDRAWN, "the person has withdrawn this consent (同意の撤回); nothing more"
                    + " is provided under it", at + "/consentId", basis);
        }
        if (!names(consent.getRecipients(), recipient)) {
            return Decision.refuse(CONSENT_RECIPIENT_NOT_NAMED, "the consent does not name the recipient, by agency id"
                    + " or by agency type (" + typeName(recipient.type()) + "); a consent covers only the recipients it"
                    + " names (" + CONSENT_LAW + ")", at + "/recipients", basis);
        }
        if (referral.getPurpose() == null || !consent.getPurposes().contains(referral.getPurpose())) {
            return Decision.refuse(CONSENT_PURPOSE_NOT_NAMED, "the consent does not name the purpose of the referral ("
                    + (referral.getPurpose() == null ? "none" : referral.getPurpose() + " " + CodeLists.label(referral.getPurpose()))
                    + "); a consent covers only the purposes it names (" + CONSENT_LAW + ")", "/referral/purpose", basis);
        }
        List<DataCategory> named = consent.getDataCategories();
        if (carried.containsKey(DataCategory.TAX_ARREARS) && !named.contains(DataCategory.TAX_ARREARS)) {
            return taxRequiresConsent(carried, basis);
        }
        for (DataCategory sensitive : DataCategories.SENSITIVE) {
            if (carried.containsKey(sensitive) && !named.contains(sensitive)) {
                return Decision.refuse(CONSENT_SENSITIVE_NOT_NAMED, category(sensitive) + " is special-care personal"
                        + " information (要配慮個人情報, APPI art. 2(3)): it is provided only on a consent that names it,"
                        + " never by opt-out (art. 27(2))", carried.get(sensitive), basis);
            }
        }
        for (Map.Entry<DataCategory, String> c : carried.entrySet()) {
            if (!named.contains(c.getKey())) {
                return Decision.refuse(CONSENT_CATEGORY_NOT_NAMED, "the message carries " + category(c.getKey())
                        + ", which the consent does not name; a consent covers only the data categories it names ("
                        + CONSENT_LAW + ")", c.getValue(), basis);
            }
        }
        Set<DataCategory> allowed = EnumSet.noneOf(DataCategory.class);
        allowed.addAll(named);
        allowed.retainAll(ceiling);
        return Decision.allow(LAWFUL_CONSENT, "the person's consent (本人同意) names this recipient, this purpose and every"
                + " data category carried, and is in force (" + CONSENT_LAW + "); flow " + flowId
                + "; the recipient receives the consented categories within its ceiling", at, basis, false, allowed);
    }

    private Decision supportMeeting(Message message, SupportMeeting meeting, String at, Map<DataCategory, String> carried,
                                    Set<DataCategory> ceiling, String flowId) {
        LegalBasis basis = LegalBasis.SUPPORT_MEETING;
        if (carried.containsKey(DataCategory.TAX_ARREARS)) {
            return taxRequiresConsent(carried, basis);
        }
        String law = "Needy Persons Independence Support Act art. 9 (生活困窮者自立支援法第9条) / Social Welfare Act"
                + " art. 106-6 (社会福祉法第106条の6)";
        Optional<RegisteredSupportMeeting> registered = policy.supportMeeting(meeting.getMeetingId());
        if (registered.isEmpty()) {
            return Decision.refuse(SUPPORT_MEETING_UNKNOWN, "the support meeting named is not registered in policy.yaml;"
                    + " only a registered statutory support meeting (支援会議, " + law + ") allows sharing without"
                    + " consent", at + "/meetingId", basis);
        }
        if (!registered.get().isMember(message.getSender())) {
            return Decision.refuse(SUPPORT_MEETING_NOT_MEMBER, "the sender is not a registered member of the support"
                    + " meeting; information is shared without consent only among its members (" + law + ")",
                    "/sender", basis);
        }
        if (!registered.get().isMember(message.getRecipient())) {
            return Decision.refuse(SUPPORT_MEETING_NOT_MEMBER, "the recipient is not a registered member of the"
                    + " support meeting; information is shared without consent only among its members (" + law + ")",
                    "/recipient", basis);
        }
        return Decision.allow(LAWFUL_SUPPORT_MEETING, "sender and recipient are registered members of the support"
                + " meeting (支援会議, " + law + "), bound by its duty of confidentiality; flow " + flowId
                + "; the recipient receives what its ceiling allows, never tax information",
                at + "/meetingId", basis, false, statutory(ceiling));
    }

    private Decision vitalInterest(String justification, String at, Map<DataCategory, String> carried,
                                   Set<DataCategory> ceiling, String flowId) {
        LegalBasis basis = LegalBasis.VITAL_INTEREST;
        if (carried.containsKey(DataCategory.TAX_ARREARS)) {
            return taxRequiresConsent(carried, basis);
        }
        String law = "APPI (個人情報保護法) art. 27(1)(ii); for public bodies art. 69(2)";
        if (justification == null || justification.strip().length() < ModelRules.MIN_JUSTIFICATION) {
            return Decision.refuse(VITAL_INTEREST_JUSTIFICATION_MISSING, "provision without consent to protect life,"
                    + " body or property (" + law + ") must be justified in writing, at least " + ModelRules.MIN_JUSTIFICATION
                    + " characters", at + "/justification", basis);
        }
        return Decision.allow(LAWFUL_VITAL_INTEREST, "provision without consent to protect life, body or property when"
                + " consent is hard to obtain (生命・身体・財産の保護, " + law + "); rare, so flagged for review; flow "
                + flowId + "; the recipient receives what its ceiling allows, never tax information",
                at + "/justification", basis, true, statutory(ceiling));
    }

    private static Decision taxRequiresConsent(Map<DataCategory, String> carried, LegalBasis basis) {
        return Decision.refuse(CONSENT_TAX_REQUIRES_CONSENT, "tax information (" + category(DataCategory.TAX_ARREARS)
                + ") is secret under the Local Tax Act art. 22 (地方税法第22条): it leaves the tax desk only with the"
                + " person's consent naming TAX_ARREARS, never on another basis", carried.get(DataCategory.TAX_ARREARS), basis);
    }

    /**
     * Who gave the consent (同意者): the person, or a legal representative of a recognised kind with the evidence of
     * the power (民法: 成年後見人 art. 859, 保佐人・補助人 within the powers granted, art. 876-4 / 876-9; 任意後見人 under
     * the Voluntary Guardianship Act; 親権者 art. 824 and 未成年後見人 only for a minor, under 18, art. 4). A relative
     * is not a representative. Null when the giver is entitled.
     */
    private static Decision giver(Consent consent, String at, LocalDate birthDate, Instant now) {
        LegalBasis basis = LegalBasis.CONSENT;
        ConsentGiver givenBy = consent.getGivenBy();
        if (givenBy == ConsentGiver.SUBJECT) {
            return null;
        }
        if (givenBy != ConsentGiver.LEGAL_REPRESENTATIVE) {
            return Decision.refuse(CONSENT_GIVER_NOT_ENTITLED, "the consent was given by someone who is neither the"
                    + " person nor their legal representative (a relative is not a representative, 民法); only the"
                    + " person's own consent or a representative's counts (" + CONSENT_LAW + ")", at + "/givenBy", basis);
        }
        Representative representative = consent.getRepresentative();
        if (representative == null || representative.getKind() == null) {
            return Decision.refuse(CONSENT_REPRESENTATIVE_UNPROVEN, "a representative's consent states the kind of"
                    + " representative (成年後見人, 保佐人, 補助人, 任意後見人, 親権者, 未成年後見人) and the evidence of the"
                    + " power (e.g. the 登記事項証明書 number)", at + "/representative", basis);
        }
        RepresentativeKind kind = representative.getKind();
        if (MINORS_ONLY.contains(kind) && !minor(birthDate, now)) {
            return Decision.refuse(CONSENT_GIVER_NOT_ENTITLED, kind + " " + CodeLists.label(kind) + " represents only a"
                    + " minor (under 18, 民法第4条); the person is not shown to be one, so their own consent or an adult's"
                    + " representative's is needed", at + "/representative/kind", basis);
        }
        if (representative.getEvidenceRef() == null || representative.getEvidenceRef().isBlank()) {
            return Decision.refuse(CONSENT_REPRESENTATIVE_UNPROVEN, "a representative's consent names the evidence of"
                    + " the power (evidenceRef: e.g. the 登記事項証明書 number); without it the representation is not"
                    + " shown", at + "/representative/evidenceRef", basis);
        }
        return null;
    }

    private static boolean minor(LocalDate birthDate, Instant now) {
        return birthDate != null && birthDate.plusYears(AGE_OF_MAJORITY).isAfter(LocalDate.ofInstant(now, JapanTime.ZONE));
    }

    private static LocalDate birthDate(Referral referral) {
        return referral.getSubject() == null ? null : referral.getSubject().getBirthDate();
    }

    /** A statutory basis allows what the policy allows the recipient, except tax information. */
    private static Set<DataCategory> statutory(Set<DataCategory> ceiling) {
        Set<DataCategory> allowed = EnumSet.noneOf(DataCategory.class);
        allowed.addAll(ceiling);
        allowed.remove(DataCategory.TAX_ARREARS);
        return allowed;
    }

    private static boolean names(List<ConsentRecipient> recipients, Agency recipient) {
        return recipients.stream().anyMatch(r -> recipient.id().equals(r.getAgencyId())
                || r.getAgencyType() != null && r.getAgencyType() == recipient.type());
    }

    /** The kind of a basis, or null when it names none (or, against the schema, more than one). */
    static LegalBasis kindOf(Basis basis) {
        if (basis == null) {
            return null;
        }
        int n = (basis.getConsent() != null ? 1 : 0) + (basis.getSupportMeeting() != null ? 1 : 0)
                + (basis.getVitalInterest() != null ? 1 : 0);
        if (n != 1) {
            return null;
        }
        return basis.getConsent() != null ? LegalBasis.CONSENT
                : basis.getSupportMeeting() != null ? LegalBasis.SUPPORT_MEETING : LegalBasis.VITAL_INTEREST;
    }

    private static String basisPointer(LegalBasis kind) {
        return switch (kind) {
            case CONSENT -> "/referral/basis/consent";
            case SUPPORT_MEETING -> "/referral/basis/supportMeeting";
            case VITAL_INTEREST -> "/referral/basis/vitalInterest";
        };
    }

    private static String ids(List<AllowedFlow> flows) {
        return String.join(", ", flows.stream().map(AllowedFlow::id).toList());
    }

    private static String typeName(AgencyType type) {
        return type + " " + CodeLists.label(type);
    }

    private static String category(DataCategory category) {
        return category + " " + CodeLists.label(category);
    }
}
