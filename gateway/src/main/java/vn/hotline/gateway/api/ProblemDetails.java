package vn.hotline.gateway.api;

import java.net.URI;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import vn.hotline.gateway.cases.CaseProblem;
import vn.hotline.gateway.routing.RosterRejected;

/** API errors as RFC 9457 problem details, each with a stable type URI clients can switch on. */
@RestControllerAdvice(basePackageClasses = ProblemDetails.class)
class ProblemDetails {

    @ExceptionHandler(CaseProblem.class)
    ResponseEntity<ProblemDetail> caseProblem(CaseProblem problem) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        body.setType(URI.create("urn:hotline:problem:" + problem.code()));
        return ResponseEntity.status(problem.status()).body(body);
    }

    @ExceptionHandler(RosterRejected.class)
    ResponseEntity<ProblemDetail> rosterRejected(RosterRejected rejected) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT,
                rejected.errors().size() + " line(s) of the roster are wrong; nothing was changed");
        body.setType(URI.create("urn:hotline:problem:roster-rejected"));
        body.setProperty("errors", rejected.errors());
        return ResponseEntity.status(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT).body(body);
    }
}
