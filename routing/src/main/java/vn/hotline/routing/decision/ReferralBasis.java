package vn.hotline.routing.decision;

/** Why a co-referral may be made. */
public enum ReferralBasis {
    CONSENT,
    LEGAL_DUTY,
    SERVICE
}
