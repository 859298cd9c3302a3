package vn.hotline.routing.roster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.hotline.ivr.triage.Language;

class RosterSnapshotTest {

    private static Officer officer(String id) {
        return new Officer(id, id, Set.of("550"), Set.of(), new PhoneRef("ph-" + id), Set.of(Language.VI));
    }

    private static Shift onCall(String id, String start, String end) {
        return new Shift(id, ShiftRole.ON_CALL, Optional.of("550"), Instant.parse(start), Instant.parse(end));
    }

    @Test
    void overlappingShiftsAreAllFoundAndBoundsAreHalfOpen() {
        Shift day = onCall("a", "2026-02-12T00:00:00Z", "2026-02-12T12:00:00Z");
        Shift overlap = onCall("b", "2026-02-12T10:00:00Z", "2026-02-12T14:00:00Z");
        RosterSnapshot snapshot = RosterSnapshot.of(new Roster(List.of(officer("a"), officer("b")),
                List.of(overlap, day)));

        assertThat(snapshot.onDuty(ShiftRole.ON_CALL, Optional.of("550"), Instant.parse("2026-02-11T23:59:59Z")))
                .isEmpty();
        assertThat(snapshot.onDuty(ShiftRole.ON_CALL, Optional.of("550"), Instant.parse("2026-02-12T00:00:00Z")))
                .containsExactly(day);
        assertThat(snapshot.onDuty(ShiftRole.ON_CALL, Optional.of("550"), Instant.parse("2026-02-12T11:00:00Z")))
                .containsExactly(day, overlap);
        assertThat(snapshot.onDuty(ShiftRole.ON_CALL, Optional.of("550"), Instant.parse("2026-02-12T12:00:00Z")))
                .containsExactly(overlap);
        assertThat(snapshot.onDuty(ShiftRole.ON_CALL, Optional.of("550"), Instant.parse("2026-02-12T14:00:00Z")))
                .isEmpty();
        assertThat(snapshot.onDuty(ShiftRole.BACKUP, Optional.of("550"), Instant.parse("2026-02-12T11:00:00Z")))
                .isEmpty();
    }
}
