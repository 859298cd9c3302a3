package vn.hotline.gateway.switchboard;

import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseService;

/**
 * The contract between the voice channels and 111: a channel dials {@link SwitchboardProperties.Voice} (and nothing
 * else) for the 111 rung, and when 111 answered, tells this class in the transaction that records the attempt. The
 * case the call opened is then referred to 111 through the outbox, so 111's counsellor sees the case summary.
 */
@Component
public class VoiceHandOff {

    private final CaseService cases;
    private final SwitchboardProperties properties;

    VoiceHandOff(CaseService cases, SwitchboardProperties properties) {
        this.cases = cases;
        this.properties = properties;
    }

    /** Where a channel sends a caller for 111. */
    public SwitchboardProperties.Voice target() {
        return properties.voice();
    }

    /** 111 answered the call: the referral follows. Emits the case reference, or nothing when the call opened no case. */
    public Mono<String> answeredBy111(UUID callId, Instant at) {
        return cases.referAfterVoiceHandOff(callId, at);
    }
}
