package vn.hotline.routing.decision;

import java.util.Objects;

/**
 * One step of a decision's explanation.
 *
 * @param code the rule applied
 * @param detail the facts it used (ids and codes only, never personal data)
 */
public record Reason(ReasonCode code, String detail) {

    public Reason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
    }
}
