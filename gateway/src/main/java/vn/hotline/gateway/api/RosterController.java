package vn.hotline.gateway.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.gateway.security.Role;

/** The roster as CSV, for supervisors and administrators. */
@RestController
@RequestMapping("/api/roster")
class RosterController {

    private final RosterService roster;
    private final CurrentStaff staff;

    RosterController(RosterService roster, CurrentStaff staff) {
        this.roster = roster;
        this.staff = staff;
    }

    /** Both files of a roster import, as text. */
    record RosterFiles(@NotNull String officersCsv, @NotNull String shiftsCsv) {
    }

    @GetMapping
    Mono<RosterService.Export> export(Mono<Principal> principal) {
        return staff.withRole(principal, Role.SUPERVISOR, Role.ADMIN).flatMap(s -> roster.exportCsv(s.username()));
    }

    @PostMapping
    Mono<RosterService.ImportResult> replace(Mono<Principal> principal, @Valid @RequestBody RosterFiles files) {
        return staff.withRole(principal, Role.SUPERVISOR, Role.ADMIN)
                .flatMap(s -> roster.importCsv(files.officersCsv(), files.shiftsCsv(), s.username()));
    }
}
