package vn.hotline.gateway.cases;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Where a case is in its life, and where it may go next. */
public enum CaseStatus {
    RECEIVED,
    ROUTED,
    ESCALATED,
    ACKNOWLEDGED,
    ASSESSED,
    PLANNED,
    IN_PROGRESS,
    REFERRED,
    CLOSED,
    REOPENED;

    private static final Map<CaseStatus, Set<CaseStatus>> NEXT = Map.of(
            RECEIVED, EnumSet.of(ROUTED, ESCALATED),
            ROUTED, EnumSet.of(ACKNOWLEDGED, ESCALATED, CLOSED),
            ESCALATED, EnumSet.of(ACKNOWLEDGED, ESCALATED, CLOSED),
            ACKNOWLEDGED, EnumSet.of(ASSESSED, REFERRED, CLOSED),
            ASSESSED, EnumSet.of(PLANNED, REFERRED, CLOSED),
            PLANNED, EnumSet.of(IN_PROGRESS, REFERRED, CLOSED),
            IN_PROGRESS, EnumSet.of(REFERRED, CLOSED),
            REFERRED, EnumSet.of(IN_PROGRESS, CLOSED),
            CLOSED, EnumSet.of(REOPENED),
            REOPENED, EnumSet.of(ACKNOWLEDGED, ASSESSED, PLANNED, IN_PROGRESS, REFERRED, CLOSED));

    /** Transitions whose forms need a written reason. */
    private static final Set<CaseStatus> NEEDS_REASON = EnumSet.of(CLOSED, REOPENED, REFERRED, ESCALATED);

    /** True when a case in this status may move to {@code next}. */
    public boolean canMoveTo(CaseStatus next) {
        return NEXT.get(this).contains(next);
    }

    /** True when moving into this status needs a reason. */
    public boolean needsReason() {
        return NEEDS_REASON.contains(this);
    }

    /** True while someone still has to pick the case up. */
    public boolean awaitsAcknowledgement() {
        return this == RECEIVED || this == ROUTED || this == ESCALATED;
    }
}
