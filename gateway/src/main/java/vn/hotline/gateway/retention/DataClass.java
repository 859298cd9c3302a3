package vn.hotline.gateway.retention;

/** The classes of data retention treats apart. */
public enum DataClass {
    /** The caller's identity in call records and IVR session state; the call's statistics stay. */
    CALL_METADATA,
    /** Note ciphertext of case events; the events (type, time, status change) stay. */
    CASE_NOTES,
    /** Call recordings; none are stored until a channel records calls. */
    RECORDINGS,
    /** Audit events: never deleted or changed, reported for completeness. */
    AUDIT_EVENTS
}
