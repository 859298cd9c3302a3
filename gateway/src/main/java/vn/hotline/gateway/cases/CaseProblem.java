package vn.hotline.gateway.cases;

import org.springframework.http.HttpStatus;

/** A request about a case that cannot be done; carries the HTTP status and a stable code for the API. */
public class CaseProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    public CaseProblem(HttpStatus status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The case does not exist or is outside the viewer's service areas (the two look the same on purpose). */
    public static CaseProblem notFound(String reference) {
        return new CaseProblem(HttpStatus.NOT_FOUND, "case-not-found", "No case " + reference + " in your service areas");
    }

    public static CaseProblem invalidTransition(CaseStatus from, CaseStatus to) {
        return new CaseProblem(HttpStatus.CONFLICT, "invalid-transition", "A case in " + from + " cannot move to " + to);
    }

    public static CaseProblem reasonRequired(CaseStatus to) {
        return new CaseProblem(HttpStatus.BAD_REQUEST, "reason-required", "Moving a case to " + to + " needs a reason");
    }

    public static CaseProblem forbidden(String what) {
        return new CaseProblem(HttpStatus.FORBIDDEN, "forbidden", what);
    }

    public static CaseProblem badRequest(String code, String detail) {
        return new CaseProblem(HttpStatus.BAD_REQUEST, code, detail);
    }
}
