package vn.hotline.gateway.audit;

/**
 * Everything the audit log records. Each area adds its actions here when it starts recording them, so one list
 * names them all (README, Audit log, lists the actions later areas will add).
 */
public enum AuditAction {
    /** A staff member logged in (recorded once per quiet period, see {@code hotline.audit.login-quiet-period}). */
    LOGIN_SUCCEEDED,
    /** A login was refused. */
    LOGIN_FAILED,
    /** A supervisor or administrator read a subject's audit trail. */
    AUDIT_TRAIL_READ,
    /** The chain was verified; the payload holds the outcome. */
    AUDIT_VERIFIED,
    /** Ciphertext was re-encrypted under the active key. */
    KEY_ROTATED,
    /** The retention job reported (dry run) or anonymised what was due. */
    RETENTION_RUN,
    /** Demo officers, rota and users were loaded (never in production). */
    DEMO_DATA_LOADED
}
