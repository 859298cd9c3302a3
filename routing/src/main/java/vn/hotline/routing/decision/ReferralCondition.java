package vn.hotline.routing.decision;

/** When a co-referral rule applies. */
public enum ReferralCondition {
    /** A service referral that needs no consent (takedown, psychological support offer). */
    ALWAYS,
    /** With consent to share with the police; otherwise still, because the policy treats it as a legal duty. */
    POLICE_CONSENT_OR_LEGAL_DUTY,
    /** Only with consent to share with the police. */
    POLICE_CONSENT,
    /** Only when the caller agreed that the school may be contacted. */
    SCHOOL_CONSENT
}
