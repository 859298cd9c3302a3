package vn.hotline.routing.roster;

/** The duty a shift is for. */
public enum ShiftRole {
    /** The on-call officer of one service area. */
    ON_CALL(true),
    /** The backup officer of one service area. */
    BACKUP(true),
    /** The provincial emergency rota, for danger-now calls. */
    EMERGENCY(false),
    /** The provincial duty supervisor, the last rung before 111. */
    DUTY_SUPERVISOR(false);

    private final boolean areaBound;

    ShiftRole(boolean areaBound) {
        this.areaBound = areaBound;
    }

    /** True when a shift of this role belongs to one service area. */
    public boolean areaBound() {
        return areaBound;
    }
}
