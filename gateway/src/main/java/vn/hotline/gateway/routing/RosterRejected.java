package vn.hotline.gateway.routing;

import java.util.List;
import vn.hotline.routing.roster.LineError;

/** A roster import with bad lines: every one is listed, and nothing was changed. */
public class RosterRejected extends RuntimeException {

    private final List<LineError> errors;

    public RosterRejected(List<LineError> errors) {
        super(errors.size() + " bad roster line(s)");
        this.errors = List.copyOf(errors);
    }

    public List<LineError> errors() {
        return errors;
    }
}
