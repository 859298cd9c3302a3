package vn.hotline.ivr.triage;

/** How soon a human must act, most urgent first. */
public enum Urgency {
    /** A child is in danger right now. */
    IMMEDIATE,
    /** Harm is happening or recent. */
    HIGH,
    NORMAL,
    /** Information only: no case is opened for a completed contact. */
    INFO;

    /** True when this urgency is at least as urgent as {@code other}. */
    public boolean atLeast(Urgency other) {
        return ordinal() <= other.ordinal();
    }
}
