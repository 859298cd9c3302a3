package vn.hotline.routing.roster;

/** What an officer is trained for; the stable names are the CSV codes. */
public enum Skill {
    ONLINE_SEXUAL_ABUSE,
    CYBERBULLYING,
    ONLINE_SCAM,
    HARMFUL_CONTENT,
    PRIVACY,
    CHILD_PROTECTION,
    COUNSELLING
}
