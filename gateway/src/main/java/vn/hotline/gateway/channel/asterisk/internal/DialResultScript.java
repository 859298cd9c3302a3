package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.hotline.gateway.channel.asterisk.AsteriskProperties;

/**
 * The {@code dial-result} FastAGI script the dialplan runs after each rung's {@code Dial}, with the rung number,
 * {@code DIALSTATUS} and {@code ANSWEREDTIME}: it records the attempt and who accepted. A rung counts as accepted only
 * when the person pressed 1 in the accept subroutine, i.e. {@code DIALSTATUS=ANSWER} with a bridge
 * ({@code ANSWEREDTIME} set); the subroutine turns a refusal into {@code BUSY}. The dialplan walks on whatever this
 * script does, so a failure here never holds up the ladder.
 */
class DialResultScript implements AgiScript {

    private static final Logger log = LoggerFactory.getLogger(DialResultScript.class);
    private static final Set<String> STATUSES = Set.of("ANSWER", "BUSY", "NOANSWER", "CANCEL", "CONGESTION",
            "CHANUNAVAIL", "DONTCALL", "TORTURE", "INVALIDARGS");

    private final CallStore store;
    private final AsteriskProperties properties;
    private final Clock clock;

    DialResultScript(CallStore store, AsteriskProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) {
        AgiVoice voice = new AgiVoice(channel);
        StepBudget budget = new StepBudget(properties.stepBudget());
        try {
            CallKey key = CallKey.of(request, properties.systemName());
            int step = Integer.parseInt(arg(request, 1));
            String status = arg(request, 2);
            if (!STATUSES.contains(status)) {
                throw new CallKey.Refused("unknown DIALSTATUS");
            }
            boolean accepted = "ANSWER".equals(status) && !arg(request, 3).isEmpty();
            UUID callId = budget.require("finding the call", store.find(key.value()));
            Optional<CallStore.Attempt> attempt = budget.await("recording the attempt",
                    store.recordAttempt(callId, step, status, accepted, clock.instant()));
            if (attempt.isPresent() && attempt.get().last() && !accepted) {
                log.warn("Call {}: nobody on the ladder accepted; urgent call-back", key);
            }
            voice.setVariable(FallbackSignal.DONE, "1");
        } catch (CallKey.Refused | NumberFormatException e) {
            log.warn("dial-result request refused: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("dial-result not recorded: {}", e.getMessage());
        } catch (AgiVoice.CallerGone gone) {
            log.debug("dial-result: caller already gone");
        }
    }

    private static String arg(AgiRequest request, int n) {
        String value = request.getRequest().get("arg_" + n);
        return value == null ? "" : value.trim();
    }
}
