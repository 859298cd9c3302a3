package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the AMI events of one call say, computed from all of them at once (never from the last one), so events that
 * arrive late, out of order or twice give the same answer. Times are Asterisk's, so arrival order does not matter.
 */
final class AmiCallFold {

    private AmiCallFold() {
    }

    /** An event as stored: the AMI login that delivered it with the event. */
    record Stored(UUID session, AmiEvent event) {
    }

    /** One dial of the call, in the order the dials began. */
    record Dial(String destUniqueid, Optional<String> destChannel, Optional<Instant> beganAt, Optional<String> status,
                Optional<Instant> endedAt) {
    }

    /**
     * The call as AMI saw it.
     *
     * @param state OPEN (no hang-up of the call's first channel yet), COMPLETE, or INCOMPLETE (events missing)
     */
    record Summary(String state, Optional<Instant> hangupAt, Optional<Integer> hangupCause, Optional<String> hangupCauseText,
                   List<Dial> dials, Optional<Instant> bridgedAt, Optional<Long> talkMs, Optional<String> answeredBy) {
    }

    /** The summary of the call whose first channel is {@code linkedid}. */
    static Summary fold(String linkedid, List<Stored> stored) {
        List<Stored> events = new ArrayList<>(stored);
        events.sort(Comparator.comparing((Stored s) -> s.event().at()));
        Optional<Stored> created = Optional.empty();
        Optional<Stored> hangup = Optional.empty();
        Map<String, Dial> dials = new LinkedHashMap<>();
        for (Stored s : events) {
            AmiEvent e = s.event();
            boolean caller = linkedid.equals(e.uniqueid());
            switch (e.name()) {
                case "Newchannel" -> {
                    if (caller && created.isEmpty()) {
                        created = Optional.of(s);
                    }
                }
                case "Hangup" -> {
                    if (caller && hangup.isEmpty()) {
                        hangup = Optional.of(s);
                    }
                }
                case "DialBegin" -> e.field("destUniqueid").filter(d -> caller).ifPresent(d -> dials.merge(d,
                        new Dial(d, e.field("destChannel"), Optional.of(e.at()), Optional.empty(), Optional.empty()),
                        (old, now) -> new Dial(d, old.destChannel().or(now::destChannel), old.beganAt().or(now::beganAt),
                                old.status(), old.endedAt())));
                case "DialEnd" -> e.field("destUniqueid").filter(d -> caller).ifPresent(d -> dials.merge(d,
                        new Dial(d, e.field("destChannel"), Optional.empty(), e.field("dialStatus"), Optional.of(e.at())),
                        (old, now) -> new Dial(d, old.destChannel().or(now::destChannel), old.beganAt(),
                                old.status().or(now::status), old.endedAt().or(now::endedAt))));
                default -> {
                }
            }
        }
        Bridge bridge = bridge(linkedid, events);
        boolean oneLogin = events.stream().map(Stored::session).distinct().count() == 1;
        String state = hangup.isEmpty() ? "OPEN"
                : created.isPresent() && oneLogin ? "COMPLETE" : "INCOMPLETE";
        List<Dial> ordered = new ArrayList<>(dials.values());
        ordered.sort(Comparator.comparing((Dial d) -> d.beganAt().or(d::endedAt).orElse(Instant.MAX)));
        return new Summary(state, hangup.map(h -> h.event().at()),
                hangup.flatMap(h -> h.event().field("cause")).flatMap(AmiCallFold::integer),
                hangup.flatMap(h -> h.event().field("causeText")), List.copyOf(ordered), bridge.at,
                bridge.at.flatMap(a -> bridge.left.map(l -> Math.max(0, Duration.between(a, l).toMillis()))), bridge.with);
    }

    private record Bridge(Optional<Instant> at, Optional<Instant> left, Optional<String> with) {
    }

    /** The first bridge the caller shared with another channel: when both were in, who, and when one left. */
    private static Bridge bridge(String linkedid, List<Stored> events) {
        Map<String, Instant> callerIn = new LinkedHashMap<>();
        for (Stored s : events) {
            AmiEvent e = s.event();
            if ("BridgeEnter".equals(e.name()) && linkedid.equals(e.uniqueid())) {
                e.field("bridgeUniqueid").ifPresent(b -> callerIn.putIfAbsent(b, e.at()));
            }
        }
        for (Map.Entry<String, Instant> in : callerIn.entrySet()) {
            for (Stored s : events) {
                AmiEvent other = s.event();
                if ("BridgeEnter".equals(other.name()) && !linkedid.equals(other.uniqueid())
                        && in.getKey().equals(other.fields().get("bridgeUniqueid"))) {
                    Instant both = other.at().isAfter(in.getValue()) ? other.at() : in.getValue();
                    Optional<Instant> left = events.stream().map(Stored::event)
                            .filter(l -> "BridgeLeave".equals(l.name()) && in.getKey().equals(l.fields().get("bridgeUniqueid")))
                            .map(AmiEvent::at).filter(t -> !t.isBefore(both)).min(Comparator.naturalOrder());
                    return new Bridge(Optional.of(both), left, other.field("channel"));
                }
            }
        }
        return new Bridge(Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Optional<Integer> integer(String s) {
        try {
            return Optional.of(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
