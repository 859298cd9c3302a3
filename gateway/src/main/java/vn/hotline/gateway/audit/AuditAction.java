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
    /** A supervisor searched the call or referral log. */
    CALL_LOG_READ,
    /** A staff member read one call record. */
    CALL_READ,
    /** A filtered range of the call log was exported (the payload holds the chain head it was taken at). */
    EXPORT_CREATED,
    /** Ciphertext was re-encrypted under the active key. */
    KEY_ROTATED,
    /** The retention job reported (dry run) or anonymised what was due. */
    RETENTION_RUN,
    /** Demo officers, rota and users were loaded (never in production). */
    DEMO_DATA_LOADED,
    /** A case was opened from a triage result. */
    CASE_OPENED,
    /** Routing chose the ladder of a case (the reasons' codes are digested). */
    ROUTING_DECIDED,
    /** A staff member read a case. */
    CASE_READ,
    /** A case moved from one status to another. */
    CASE_TRANSITIONED,
    /** A note was added to a case. */
    CASE_NOTE_ADDED,
    /** A supervisor gave a case to another officer. */
    CASE_REASSIGNED,
    /** Nobody acknowledged in time: the case went to the next rung. */
    CASE_ESCALATED,
    /** A statutory deadline (Decree 56) passed without being met. */
    STATUTORY_DEADLINE_MISSED,
    /** A case was referred to another body. */
    REFERRAL_CREATED,
    /** The roster was replaced from CSV. */
    ROSTER_IMPORTED,
    /** The roster was exported as CSV. */
    ROSTER_EXPORTED,
    /** An administrator moved a unit to another service area. */
    UNIT_AREA_CORRECTED,
    /** A phone call reached the IVR: the call record was created. */
    CALL_STARTED,
    /** The IVR finished its part of a call that goes on (a transfer was handed to the dialplan). */
    IVR_COMPLETED,
    /** A call ended: the caller heard the reference, hung up, or was handed to the dialplan's fallback. */
    CALL_ENDED,
    /** One rung of a transfer ladder was dialled: its DIALSTATUS and whether the person accepted. */
    TRANSFER_ATTEMPTED,
    /** 111 accepted a referral of ours: its reference is the receipt. */
    REFERRAL_ACCEPTED,
    /** 111 changed the state of a referral of ours (applied by its sequence number). */
    REFERRAL_STATUS_CHANGED,
    /** 111 referred a child in the province to us: a case was opened. */
    REFERRAL_RECEIVED,
    /** 111 had not accepted a referral in time: the duty supervisor was alerted. */
    REFERRAL_NOT_ACCEPTED,
    /** A notification reached the provider (created, or found by a look-up after an ambiguous send). */
    NOTIFICATION_SENT,
    /** An officer invoked the emergency exception: identifying details go to 111 with the referral. */
    REFERRAL_EMERGENCY_DISCLOSURE,
    /** 111 received the province's state of a case it had referred to the province. */
    REFERRAL_STATUS_REPORTED,
    /** A voice caller asked for the case reference by text message (pressed 1 at the offer). */
    CALLER_TEXT_REQUESTED,
    /** AMI settled what happened to a call: complete (hang-up cause, talk time, each dial) or incomplete. */
    CALL_RECORD_COMPLETED,
    /** A staff member asked for a call-back of a case's caller (who, which attempt, a night-time decision). */
    CALLBACK_REQUESTED,
    /** A call-back attempt ended: connected, or where it stopped. */
    CALLBACK_ENDED
}
