package vn.hotline.routing.decision;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import vn.hotline.routing.roster.PhoneRef;

/**
 * One step of the escalation ladder.
 *
 * @param step 1-based position on the ladder
 * @param kind who this rung reaches
 * @param officerId the officer, empty for 111
 * @param phone the officer's phone reference, empty for 111
 * @param answerWithin how long this rung has to answer (live) or acknowledge before the next; empty when untimed
 */
public record Rung(
        int step,
        RungKind kind,
        Optional<String> officerId,
        Optional<PhoneRef> phone,
        Optional<Duration> answerWithin) {

    public Rung {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(officerId, "officerId");
        Objects.requireNonNull(phone, "phone");
        Objects.requireNonNull(answerWithin, "answerWithin");
    }
}
