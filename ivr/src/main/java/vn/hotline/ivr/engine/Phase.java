package vn.hotline.ivr.engine;

/** Where a session stands. */
public enum Phase {
    /** Waiting for the answer to the menu named by the state's node. */
    ASKING,
    /** Triage completed with a case-opening result; waiting for {@code Input.CaseOpened}. */
    AWAITING_REFERENCE,
    /** Transferred, hung up or ended: further inputs change nothing. */
    DONE
}
