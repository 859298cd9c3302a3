package vn.hotline.gateway.audit.internal;

import java.security.Principal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditChain;
import vn.hotline.gateway.audit.AuditTrail;
import vn.hotline.gateway.audit.AuditTrailEntry;
import vn.hotline.gateway.audit.ChainStatus;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.audit.VerificationProgress;

/** The audit API for supervisors and administrators (SecurityConfig limits {@code /api/audit/**} to them). */
@RestController
class AuditController {

    private static final int MAX_LIMIT = 1000;

    private final AuditTrail trail;
    private final AuditChain chain;

    AuditController(AuditTrail trail, AuditChain chain) {
        this.trail = trail;
        this.chain = chain;
    }

    /**
     * A page of a subject's trail.
     *
     * @param subject the subject
     * @param entries oldest first
     * @param next the {@code after} value for the next page, or null when this page is the last
     */
    record TrailPage(String subject, List<AuditTrailEntry> entries, Long next) {
    }

    /** {@code GET /api/audit?subject=case:BD-2026-000123&after=0&limit=100}. */
    @GetMapping("/api/audit")
    Mono<TrailPage> trail(@RequestParam String subject, @RequestParam(defaultValue = "0") long after,
                          @RequestParam(defaultValue = "100") int limit, Mono<Principal> principal) {
        int colon = subject.indexOf(':');
        if (colon <= 0 || colon == subject.length() - 1 || limit < 1 || limit > MAX_LIMIT || after < 0) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST));
        }
        Subject parsed = new Subject(subject.substring(0, colon), subject.substring(colon + 1));
        return principal.flatMap(p -> trail.read(parsed, after, limit, Actor.user(p.getName())))
                .map(entries -> new TrailPage(subject, entries,
                        entries.size() < limit ? null : entries.get(entries.size() - 1).id()));
    }

    /** {@code GET /api/audit/chain}: head, backlog and sealing lag. */
    @GetMapping("/api/audit/chain")
    Mono<ChainStatus> status() {
        return chain.status();
    }

    /** {@code GET /api/audit/verification}: recomputes the chain, one JSON line of progress at a time, the report last. */
    @GetMapping(path = "/api/audit/verification", produces = MediaType.APPLICATION_NDJSON_VALUE)
    Flux<VerificationProgress> verify(Mono<Principal> principal) {
        return principal.flatMapMany(p -> chain.verify(Actor.user(p.getName())));
    }
}
