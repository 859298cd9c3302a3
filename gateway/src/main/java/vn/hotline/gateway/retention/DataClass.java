package vn.hotline.gateway.retention;

/** The classes of data retention treats apart. */
public enum DataClass {
    /** The caller's identity in call records and IVR session state; the call's statistics stay. */
    CALL_METADATA,
    /** Note ciphertext of case events; the events (type, time, status change) stay. */
    CASE_NOTES,
    /** Call recordings; none are stored until a channel records calls. */
    RECORDINGS,
    /**
     * Answers kept so that a retried webhook or a redelivered SMS gets the same reply (TwiML, SMS texts): deleted once
     * no provider would retry. SMS opt-outs are not in any class: a STOP stands until the sender texts START.
     */
    REPLAY_CACHE,
    /** Audit events: never deleted or changed, reported for completeness. */
    AUDIT_EVENTS
}
