package vn.hotline.gateway.api;

import java.security.Principal;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseProblem;
import vn.hotline.gateway.security.Role;
import vn.hotline.gateway.security.StaffDirectory;
import vn.hotline.gateway.security.StaffDirectory.Staff;

/** Resolves the logged-in staff member of a request, and checks roles. */
@Component
class CurrentStaff {

    private final StaffDirectory directory;

    CurrentStaff(StaffDirectory directory) {
        this.directory = directory;
    }

    Mono<Staff> of(Mono<Principal> principal) {
        return principal.flatMap(p -> directory.find(p.getName()))
                .switchIfEmpty(Mono.error(CaseProblem.forbidden("No active staff account")));
    }

    Mono<Staff> withRole(Mono<Principal> principal, Role... roles) {
        return of(principal).flatMap(staff -> {
            for (Role role : roles) {
                if (staff.role() == role) {
                    return Mono.just(staff);
                }
            }
            return Mono.error(CaseProblem.forbidden("This needs the role " + java.util.Arrays.toString(roles)));
        });
    }
}
