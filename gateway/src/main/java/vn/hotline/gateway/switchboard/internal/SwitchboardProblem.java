package vn.hotline.gateway.switchboard.internal;

import org.springframework.http.HttpStatus;

/** Why an inbound 111 request was refused; answered as a problem detail of type {@code urn:hotline:problem:<code>}. */
final class SwitchboardProblem extends RuntimeException {

    private final HttpStatus status;
    private final String code;

    SwitchboardProblem(HttpStatus status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    HttpStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
