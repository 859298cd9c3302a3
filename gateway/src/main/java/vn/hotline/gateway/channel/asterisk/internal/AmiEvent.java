package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One AMI event as the call log keeps it: only the fields it needs, none that carries a phone number (no caller ids,
 * no dial strings; channel names with long digit runs are masked).
 *
 * @param asterisk the system name of the Asterisk that sent it
 * @param name the event name ({@code Newchannel}, {@code DialEnd}, ...; {@code UserEvent:<name>} for user events)
 * @param uniqueid the channel it is about; for DialBegin/DialEnd the calling channel (absent for an Originate)
 * @param linkedid the call it belongs to
 * @param at Asterisk's {@code Timestamp} (microseconds), or the time received when Asterisk sent none
 * @param fields the kept fields: destUniqueid, destChannel, dialStatus, bridgeUniqueid, channel, cause, causeText,
 *     disposition, duration, billableSeconds, response, reason, result, callback
 */
record AmiEvent(String asterisk, String name, String uniqueid, String linkedid, Instant at, Map<String, String> fields) {

    AmiEvent {
        fields = Map.copyOf(fields);
    }

    Optional<String> field(String key) {
        return Optional.ofNullable(fields.get(key));
    }

    /**
     * The key under which the event is kept once: the same event twice (or from two nodes) has the same key. Asterisk
     * has no event sequence number for these events, so the microsecond timestamp with the event's own identifiers
     * stands in for one.
     */
    String key() {
        return name + "|" + nz(uniqueid) + "|" + nz(fields.get("destUniqueid")) + "|" + nz(fields.get("bridgeUniqueid"))
                + "|" + nz(fields.get("dialStatus")) + "|" + at.getEpochSecond() + "." + String.format("%09d", at.getNano());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
