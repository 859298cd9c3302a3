package vn.hotline.routing.decision;

/** How the assignee is told. */
public enum NotifyChannel {
    /** A live call to the officer, who must press 1 to accept (voicemail never counts). */
    VOICE_CALL,
    /** A one-way SMS notice with neutral wording. */
    SMS,
    /** An entry in the web console, where the officer acknowledges. */
    CONSOLE
}
