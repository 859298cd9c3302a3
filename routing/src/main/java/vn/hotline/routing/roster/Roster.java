package vn.hotline.routing.roster;

import java.util.List;

/**
 * The officers and their shifts, as imported; {@link RosterSnapshot} indexes it for routing.
 *
 * @param officers every officer
 * @param shifts every shift
 */
public record Roster(List<Officer> officers, List<Shift> shifts) {

    public Roster {
        officers = List.copyOf(officers);
        shifts = List.copyOf(shifts);
    }
}
