package vn.hotline.ivr.flow;

/** Who a caller is handed to; the gateway resolves the role to a person on the rota. */
public enum TransferTarget {
    /** The provincial emergency ladder: on-call emergency officer, duty supervisor, 111 (DESIGN 1, step 5). */
    EMERGENCY_LADDER,
    /** The on-call officer of the service area the caller named. */
    AREA_ON_CALL,
    /** The provincial duty supervisor. */
    DUTY_SUPERVISOR,
    /** The national child-protection line 111. */
    NATIONAL_111
}
