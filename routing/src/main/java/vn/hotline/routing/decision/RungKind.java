package vn.hotline.routing.decision;

/** Who a rung of the escalation ladder reaches. */
public enum RungKind {
    EMERGENCY_ON_CALL,
    AREA_ON_CALL,
    AREA_BACKUP,
    DUTY_SUPERVISOR,
    /** The national child-protection line 111: always the last rung, always a human. */
    NATIONAL_111
}
