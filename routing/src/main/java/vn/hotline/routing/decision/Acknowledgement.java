package vn.hotline.routing.decision;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the assignee must do, and by when, before the case escalates.
 *
 * @param mode what counts as acknowledged
 * @param deadline when escalation starts if nobody acknowledged, empty when none
 */
public record Acknowledgement(AckMode mode, Optional<Instant> deadline) {

    public Acknowledgement {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(deadline, "deadline");
    }
}
