package vn.hotline.gateway.calllog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What happened to a call from first ring to hang-up, as data for the supervisors' log and the console.
 *
 * @param amiState empty (no AMI event seen), OPEN, COMPLETE, or INCOMPLETE (AMI events are missing: nothing guessed)
 * @param hangupCause the Q.850 cause of the caller's hang-up (16 normal clearing, 17 busy, ...)
 * @param hangupCauseText Asterisk's text for it
 * @param bridgedAt when the caller was bridged with a person
 * @param talkMs from that bridge to the first party leaving it
 * @param answeredBy the channel bridged with the caller
 * @param entries the moments, IVR first, then AMI in Asterisk's time order
 */
public record CallTimeline(Optional<String> amiState, Optional<Integer> hangupCause, Optional<String> hangupCauseText,
                           Optional<Instant> bridgedAt, Optional<Long> talkMs, Optional<String> answeredBy,
                           List<TimelineEntry> entries) {
}
