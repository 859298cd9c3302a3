package vn.hotline.gateway.channel.asterisk;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.security.StaffDirectory.Staff;

/**
 * Call-backs to a child who hung up before reaching a person: the officer's phone first, the child's once the officer
 * answers and presses 1, bridged, through AMI {@code Originate}. Every attempt records who authorised it.
 */
public interface CallBackService {

    /**
     * Asks for a call-back of the case's caller, authorised by {@code staff}; the node holding the AMI connection of the
     * case's Asterisk dials it within a heartbeat. Refused (as a {@code CaseProblem}) when the case is not the staff
     * member's, has no number to call, has one in progress, has used up its attempts, or it is night and the case is
     * not urgent and the officer did not decide otherwise.
     */
    Mono<CallBackView> request(CallBackRequest request, Staff staff);

    /** The call-backs of a case, oldest first. */
    Flux<CallBackView> ofCase(String caseReference, Staff staff);
}
