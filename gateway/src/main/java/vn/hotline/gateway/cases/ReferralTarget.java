package vn.hotline.gateway.cases;

/** Bodies staff can refer a case to (the routing module's agencies plus the national switchboard). */
public enum ReferralTarget {
    POLICE_CYBER_UNIT,
    INFORMATION_DEPARTMENT,
    SOCIAL_ASSISTANCE_CENTRE,
    SCHOOL,
    SWITCHBOARD_111
}
