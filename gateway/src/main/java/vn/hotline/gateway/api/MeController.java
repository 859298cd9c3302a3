package vn.hotline.gateway.api;

import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.security.StaffDirectory;

/** Tells a logged-in staff member who the server thinks they are and what they may see. */
@RestController
class MeController {

    private final StaffDirectory staff;

    MeController(StaffDirectory staff) {
        this.staff = staff;
    }

    @GetMapping("/api/me")
    Mono<StaffDirectory.Staff> me(Mono<Principal> principal) {
        return principal.flatMap(p -> staff.find(p.getName()));
    }
}
