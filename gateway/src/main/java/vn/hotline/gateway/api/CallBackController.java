package vn.hotline.gateway.api;

import java.security.Principal;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.channel.asterisk.CallBackRequest;
import vn.hotline.gateway.channel.asterisk.CallBackService;
import vn.hotline.gateway.channel.asterisk.CallBackView;

/** Call-backs of a case's caller: an officer (or a supervisor naming one) asks for one; everyone who sees the case lists them. */
@RestController
@RequestMapping("/api/cases/{reference}/callbacks")
class CallBackController {

    private final CallBackService callBacks;
    private final CurrentStaff staff;

    CallBackController(CallBackService callBacks, CurrentStaff staff) {
        this.callBacks = callBacks;
        this.staff = staff;
    }

    /**
     * The body of a request.
     *
     * @param officerId whose phone rings first (supervisors); an officer's own when empty
     * @param nightOverride the officer decided to call back at night although the case is not urgent
     */
    record Body(UUID officerId, Boolean nightOverride) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<CallBackView> request(Mono<Principal> principal, @PathVariable String reference, @RequestBody(required = false) Body body) {
        Body b = body == null ? new Body(null, null) : body;
        return staff.of(principal).flatMap(s -> callBacks.request(
                new CallBackRequest(reference, Optional.ofNullable(b.officerId()), Boolean.TRUE.equals(b.nightOverride())), s));
    }

    @GetMapping
    Flux<CallBackView> list(Mono<Principal> principal, @PathVariable String reference) {
        return staff.of(principal).flatMapMany(s -> callBacks.ofCase(reference, s));
    }
}
