package vn.hotline.gateway.console.internal;

import java.security.Principal;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseProblem;
import vn.hotline.gateway.security.StaffDirectory;
import vn.hotline.gateway.security.StaffDirectory.Staff;

/** The logged-in staff member of a console request, with their scope. */
@Component
class ConsoleStaff {

    private static final String ATTRIBUTE = ConsoleStaff.class.getName();

    private final StaffDirectory directory;

    ConsoleStaff(StaffDirectory directory) {
        this.directory = directory;
    }

    /** Looked up once per request (the page's model and its handler both ask). */
    @SuppressWarnings("unchecked")
    Mono<Staff> of(ServerWebExchange exchange) {
        return ((Mono<Staff>) exchange.getAttributes().computeIfAbsent(ATTRIBUTE,
                        key -> exchange.getPrincipal().map(Principal::getName).flatMap(directory::find).cache()))
                .switchIfEmpty(Mono.error(CaseProblem.forbidden("No active staff account")));
    }

    /** The staff member when someone is logged in; empty on the login and error pages. */
    Mono<Staff> ifLoggedIn(ServerWebExchange exchange) {
        return of(exchange).onErrorResume(CaseProblem.class, e -> Mono.empty());
    }

    /** The same, only for supervisors and administrators (the security chain checks this too). */
    Mono<Staff> supervisor(ServerWebExchange exchange) {
        return of(exchange).filter(Staff::seesAllAreas)
                .switchIfEmpty(Mono.error(CaseProblem.forbidden("Supervisors and administrators only")));
    }
}
