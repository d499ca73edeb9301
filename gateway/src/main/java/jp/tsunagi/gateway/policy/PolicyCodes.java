package jp.tsunagi.gateway.policy;

import jp.tsunagi.schema.validation.ProblemCode;

/**
 * The stable codes of every policy decision (判断コード): the consent engine, the referral lifecycle and the
 * minimizer. Vendors, problem responses ({@code code} of RFC 9457) and the audit trail rely on them, so a code is
 * never renamed, only added; each one is listed in {@code docs/policy.md}.
 */
public final class PolicyCodes {
    // --- lawful: the message may go (ConsentEngine) ---
    /** Lawful under the person's consent (本人同意). */
    public static final String LAWFUL_CONSENT = "lawful.consent";
    /** Lawful between registered members of a support meeting (支援会議). */
    public static final String LAWFUL_SUPPORT_MEETING = "lawful.support_meeting";
    /** Lawful to protect life, body or property; always flagged for review. */
    public static final String LAWFUL_VITAL_INTEREST = "lawful.vital_interest";
    /** A status update, receipt or consent withdrawal on an allowed route: its lawfulness follows the referral. */
    public static final String LAWFUL_FOLLOWS_REFERRAL = "lawful.follows_referral";

    // --- policy.yaml and agencies.yaml ---
    public static final String ROUTE_NOT_ALLOWED = "policy.route_not_allowed";
    public static final String MESSAGE_TYPE_NOT_ALLOWED = "policy.message_type_not_allowed";
    public static final String RECIPIENT_DOES_NOT_ACCEPT = "policy.recipient_does_not_accept";
    public static final String BASIS_NOT_ALLOWED = "policy.basis_not_allowed";
    public static final String BASIS_MISSING = "policy.basis_missing";

    // --- consent (本人同意) ---
    public static final String CONSENT_NOT_YET_OBTAINED = "consent.not_yet_obtained";
    public static final String CONSENT_EXPIRED = "consent.expired";
    public static final String CONSENT_WITHDRAWN = "consent.withdrawn";
    /** A dead letter is not requeued to an agency suspended (利用停止) in agencies.yaml. */
    public static final String RECIPIENT_SUSPENDED = "recipient.suspended";
    public static final String CONSENT_RECIPIENT_NOT_NAMED = "consent.recipient_not_named";
    public static final String CONSENT_PURPOSE_NOT_NAMED = "consent.purpose_not_named";
    public static final String CONSENT_CATEGORY_NOT_NAMED = "consent.category_not_named";
    /** The same code as the schema library's validation gives (one owner of the string). */
    public static final String CONSENT_TAX_REQUIRES_CONSENT = ProblemCode.CONSENT_TAX_REQUIRES_CONSENT.code();
    public static final String CONSENT_SENSITIVE_NOT_NAMED = ProblemCode.CONSENT_SENSITIVE_NOT_NAMED.code();
    /** Given by someone who is neither the person nor a legal representative of a recognised kind for them. */
    public static final String CONSENT_GIVER_NOT_ENTITLED = "consent.giver_not_entitled";
    /** Given by a legal representative whose kind or evidence (e.g. 登記事項証明書 number) is not stated. */
    public static final String CONSENT_REPRESENTATIVE_UNPROVEN = "consent.representative_unproven";

    // --- household members (世帯員): decided one by one; a member without a lawful basis is removed, not refused ---
    /** The member carries no basis of their own. */
    public static final String MEMBER_NO_BASIS = "member.no_basis";

    // --- statutory bases ---
    public static final String SUPPORT_MEETING_UNKNOWN = "support_meeting.unknown";
    public static final String SUPPORT_MEETING_NOT_MEMBER = "support_meeting.not_member";
    public static final String VITAL_INTEREST_JUSTIFICATION_MISSING = "vital_interest.justification_missing";

    // --- referral lifecycle (紹介の状況) ---
    public static final String LIFECYCLE_CHANGED = "lifecycle.changed";
    public static final String LIFECYCLE_NO_CHANGE = "lifecycle.no_change";
    public static final String LIFECYCLE_TRANSITION_NOT_ALLOWED = "lifecycle.transition_not_allowed";
    public static final String LIFECYCLE_NOT_A_PARTY = "lifecycle.not_a_party";
    public static final String LIFECYCLE_PARTY_NOT_ALLOWED = "lifecycle.party_not_allowed";

    // --- minimization (最小化) ---
    public static final String MINIMIZATION_REQUIRED_CATEGORY_REFUSED = "minimization.required_category_refused";

    private PolicyCodes() {
    }
}
