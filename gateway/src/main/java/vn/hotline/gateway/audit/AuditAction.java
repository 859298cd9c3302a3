package vn.hotline.gateway.audit;

/** Everything the audit log records. Each area adds its actions here, so one list names them all. */
public enum AuditAction {
    /** A staff member logged in. */
    LOGIN_SUCCEEDED,
    /** A login was refused. */
    LOGIN_FAILED,
    /** Demo officers, rota and users were loaded (never in production). */
    DEMO_DATA_LOADED
}
