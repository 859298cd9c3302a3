package vn.hotline.routing.roster;

import java.util.List;

/** The outcome of a roster import: all of it, or none of it with every bad line. */
public sealed interface RosterImport {

    /** Every line was valid; the gateway applies the roster in one transaction. */
    record Accepted(Roster roster) implements RosterImport {
    }

    /** At least one line was bad; nothing is to be applied. */
    record Rejected(List<LineError> errors) implements RosterImport {
        public Rejected {
            errors = List.copyOf(errors);
        }
    }
}
