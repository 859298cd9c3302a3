package vn.hotline.routing.decision;

/** What counts as the assignee taking the case. */
public enum AckMode {
    /** A person answers and accepts the live call. */
    LIVE_ANSWER,
    /** The officer acknowledges in the console (or by SMS reply where two-way SMS exists). */
    CONSOLE,
    /** Nothing to acknowledge (information only). */
    NONE
}
