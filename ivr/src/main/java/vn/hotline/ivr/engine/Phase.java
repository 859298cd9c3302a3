package vn.hotline.ivr.engine;

/** Where a session stands. */
public enum Phase {
    /** Waiting for the answer to the menu named by the state's node. */
    ASKING,
    /** Triage completed with a case-opening result; waiting for {@code Input.CaseOpened}. */
    AWAITING_REFERENCE,
    /** The reference was read out; waiting for the key that asks for it by text message (voice only). */
    OFFERING_TEXT,
    /** Transferred, hung up or ended: further inputs change nothing. */
    DONE
}
