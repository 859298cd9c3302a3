package vn.hotline.routing.decision;

/** Bodies a case can be co-referred to. */
public enum Agency {
    /** The provincial police cyber-security unit. */
    POLICE_CYBER_UNIT,
    /** The provincial information department, for harmful-content takedown. */
    INFORMATION_DEPARTMENT,
    /** The social assistance centre, for psychological support. */
    SOCIAL_ASSISTANCE_CENTRE,
    /** The child's school. */
    SCHOOL
}
