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

    private final StaffDirectory directory;

    ConsoleStaff(StaffDirectory directory) {
        this.directory = directory;
    }

    Mono<Staff> of(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(Principal::getName).flatMap(directory::find)
                .switchIfEmpty(Mono.error(CaseProblem.forbidden("No active staff account")));
    }

    /** The same, only for supervisors and administrators (the security chain checks this too). */
    Mono<Staff> supervisor(ServerWebExchange exchange) {
        return of(exchange).filter(Staff::seesAllAreas)
                .switchIfEmpty(Mono.error(CaseProblem.forbidden("Supervisors and administrators only")));
    }
}
