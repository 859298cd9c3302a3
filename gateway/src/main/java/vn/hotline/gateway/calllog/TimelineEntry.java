package vn.hotline.gateway.calllog;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One moment of a call, in order: an IVR node, a dial beginning or ending with its status, a party entering or leaving
 * the bridge, a hang-up with its cause, the CDR. No numbers: channels by name, officers by rung.
 *
 * @param at when (Asterisk's time for AMI moments); empty for IVR nodes whose entry time was not recorded
 * @param kind IVR_NODE, CHANNEL_CREATED, DIAL_BEGIN, DIAL_END, BRIDGE_ENTER, BRIDGE_LEAVE, HANGUP, CDR, ORIGINATE_RESPONSE or
 *     CALLBACK_CONFIRM
 * @param detail what the moment says (node, channel, dialStatus, cause, causeText, disposition, ...)
 */
public record TimelineEntry(Optional<Instant> at, String kind, Map<String, Object> detail) {
}
