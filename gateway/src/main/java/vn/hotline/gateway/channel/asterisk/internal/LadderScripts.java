package vn.hotline.gateway.channel.asterisk.internal;

import java.util.OptionalInt;
import java.util.Set;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.hotline.gateway.channel.asterisk.AsteriskProperties;

/**
 * The three FastAGI scripts the shipped dialplan runs while a transfer's ladder runs ({@code ops/asterisk/extensions.conf}):
 * <ul>
 * <li>{@code accept} in {@code hotline-accept}, on the called person's channel once they pressed 1, with the caller's
 *     uniqueid and the rung: the acceptance is recorded before the bridge;</li>
 * <li>{@code dial-result} after each rung's Dial, with the rung, DIALSTATUS and ANSWEREDTIME;</li>
 * <li>{@code hangup} in the caller's hangup handler, wherever the call was, with the rung and DIALSTATUS when the
 *     ladder ran.</li>
 * </ul>
 * Malformed arguments are refused with a log line and no write; the dialplan walks on whatever these scripts do, so
 * none of them can hold up a caller.
 */
final class LadderScripts {

    private static final Logger log = LoggerFactory.getLogger(LadderScripts.class);
    private static final Set<String> STATUSES = Set.of("ANSWER", "BUSY", "NOANSWER", "CANCEL", "CONGESTION",
            "CHANUNAVAIL", "DONTCALL", "TORTURE", "INVALIDARGS");

    private LadderScripts() {
    }

    /** {@code accept?system=${SYSTEMNAME},<caller's uniqueid>,<rung>}. */
    static AgiScript accept(LadderReports reports, AsteriskProperties properties) {
        return (request, channel) -> refusedOrRun("accept", () -> {
            CallKey key = CallKey.of(request, arg(request, 1), properties.systemName());
            reports.accepted(key, rung(request, 2).orElseThrow(() -> new CallKey.Refused("no rung")));
        });
    }

    /**
     * {@code dial-result?system=${SYSTEMNAME},<rung>,${DIALSTATUS},${ANSWEREDTIME},${HOTLINE_ACCEPTED}}; sets
     * HOTLINE_DONE=1 when taken.
     */
    static AgiScript dialResult(LadderReports reports, AsteriskProperties properties) {
        return (request, channel) -> refusedOrRun("dial-result", () -> {
            CallKey key = CallKey.of(request, properties.systemName());
            int step = rung(request, 1).orElseThrow(() -> new CallKey.Refused("no rung"));
            String status = status(request, 2);
            if (status.isEmpty()) {
                throw new CallKey.Refused("no DIALSTATUS");
            }
            // Only HOTLINE_ACCEPTED (set by hotline-accept when the person pressed 1) says someone took the call:
            // Asterisk also reports ANSWER with an ANSWEREDTIME for a phone that hung up or timed out in the screening.
            boolean accepted = "ANSWER".equals(status) && arg(request, 4).equals(Integer.toString(step));
            if (reports.dialEnded(key, step, status, accepted)) {
                FallbackSignal.done(new AgiVoice(channel));
            }
        });
    }

    /** {@code hangup?system=${SYSTEMNAME},${HOTLINE_RUNG},${DIALSTATUS}}: both empty when the ladder never ran. */
    static AgiScript hangup(LadderReports reports, AsteriskProperties properties) {
        return (request, channel) -> refusedOrRun("hangup", () -> {
            CallKey key = CallKey.of(request, properties.systemName());
            OptionalInt step = rung(request, 1);
            reports.hungUp(key, step, step.isPresent() ? status(request, 2) : "");
        });
    }

    private interface Report {
        void run() throws CallKey.Refused;
    }

    private static void refusedOrRun(String script, Report report) {
        try {
            report.run();
        } catch (CallKey.Refused e) {
            log.warn("{} request refused: {}", script, e.getMessage());
        }
    }

    private static OptionalInt rung(AgiRequest request, int n) throws CallKey.Refused {
        String value = arg(request, n);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) < 1) {
            throw new CallKey.Refused("the rung is not a number from 1 to 999");
        }
        return OptionalInt.of(Integer.parseInt(value));
    }

    private static String status(AgiRequest request, int n) throws CallKey.Refused {
        String value = arg(request, n);
        if (!value.isEmpty() && !STATUSES.contains(value)) {
            throw new CallKey.Refused("unknown DIALSTATUS");
        }
        return value;
    }

    private static String arg(AgiRequest request, int n) {
        String value = request.getRequest().get("arg_" + n);
        return value == null ? "" : value.trim();
    }
}
