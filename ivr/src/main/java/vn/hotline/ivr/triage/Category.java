package vn.hotline.ivr.triage;

/** What the contact is about; the online harms of Decision 830 come first. */
public enum Category {
    ONLINE_SEXUAL_ABUSE,
    CYBERBULLYING,
    ONLINE_SCAM,
    HARMFUL_CONTENT,
    PRIVACY_LEAK,
    VIOLENCE_ABUSE,
    NEGLECT,
    MENTAL_HEALTH,
    INFORMATION,
    UNKNOWN
}
