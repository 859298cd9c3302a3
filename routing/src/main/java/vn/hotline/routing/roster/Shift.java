package vn.hotline.routing.roster;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One on-call shift, half-open: the officer is on duty from {@code start} inclusive to {@code end} exclusive.
 *
 * @param officerId the officer on duty
 * @param role the duty
 * @param serviceArea the area for area-bound roles, empty for provincial ones
 * @param start first instant on duty
 * @param end first instant off duty
 */
public record Shift(String officerId, ShiftRole role, Optional<String> serviceArea, Instant start, Instant end) {

    public Shift {
        Objects.requireNonNull(officerId, "officerId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(serviceArea, "serviceArea");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("shift ends before it starts");
        }
        if (role.areaBound() != serviceArea.isPresent()) {
            throw new IllegalArgumentException(role + (role.areaBound() ? " needs" : " takes no") + " service area");
        }
    }

    /** True when the officer is on duty at {@code at}. */
    public boolean covers(Instant at) {
        return !at.isBefore(start) && at.isBefore(end);
    }
}
