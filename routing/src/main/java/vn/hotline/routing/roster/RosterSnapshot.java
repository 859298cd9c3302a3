package vn.hotline.routing.roster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable, indexed view of a roster: for each duty (role and area) a timeline of elementary intervals, each
 * holding the shifts active in it, so "who is on duty at t" is one {@code floorEntry}: O(log n).
 */
public final class RosterSnapshot {

    private record DutyKey(ShiftRole role, String area) {
    }

    private final Map<String, Officer> officers = new HashMap<>();
    private final Map<DutyKey, NavigableMap<Instant, List<Shift>>> timelines = new HashMap<>();
    private final Roster roster;

    private RosterSnapshot(Roster roster) {
        this.roster = roster;
        for (Officer officer : roster.officers()) {
            if (officers.put(officer.id(), officer) != null) {
                throw new IllegalArgumentException("duplicate officer " + officer.id());
            }
        }
        Map<DutyKey, List<Shift>> byDuty = new HashMap<>();
        for (Shift shift : roster.shifts()) {
            if (!officers.containsKey(shift.officerId())) {
                throw new IllegalArgumentException("shift for unknown officer " + shift.officerId());
            }
            byDuty.computeIfAbsent(key(shift.role(), shift.serviceArea()), k -> new ArrayList<>()).add(shift);
        }
        byDuty.forEach((duty, shifts) -> timelines.put(duty, timeline(shifts)));
    }

    /** Indexes a roster; fails when a shift names an unknown officer. */
    public static RosterSnapshot of(Roster roster) {
        return new RosterSnapshot(roster);
    }

    /** The shifts of this duty active at {@code at}, earliest start first (ties in roster order). */
    public List<Shift> onDuty(ShiftRole role, Optional<String> area, Instant at) {
        NavigableMap<Instant, List<Shift>> timeline = timelines.get(key(role, area));
        if (timeline == null) {
            return List.of();
        }
        Entry<Instant, List<Shift>> segment = timeline.floorEntry(at);
        return segment == null ? List.of() : segment.getValue();
    }

    /** The officer with this id. */
    public Optional<Officer> officer(String id) {
        return Optional.ofNullable(officers.get(id));
    }

    /** The roster this snapshot indexes (for export). */
    public Roster roster() {
        return roster;
    }

    private static DutyKey key(ShiftRole role, Optional<String> area) {
        return new DutyKey(role, area.orElse(""));
    }

    private static NavigableMap<Instant, List<Shift>> timeline(List<Shift> shifts) {
        TreeSet<Instant> bounds = new TreeSet<>();
        shifts.forEach(shift -> {
            bounds.add(shift.start());
            bounds.add(shift.end());
        });
        List<Shift> ordered = new ArrayList<>(shifts);
        ordered.sort(Comparator.comparing(Shift::start));
        NavigableMap<Instant, List<Shift>> timeline = new TreeMap<>();
        for (Instant bound : bounds) {
            List<Shift> active = ordered.stream().filter(shift -> shift.covers(bound)).toList();
            timeline.put(bound, active);
        }
        return timeline;
    }
}
