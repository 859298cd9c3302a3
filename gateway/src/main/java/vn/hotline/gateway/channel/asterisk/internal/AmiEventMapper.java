package vn.hotline.gateway.channel.asterisk.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.asteriskjava.manager.event.AbstractBridgeEvent;
import org.asteriskjava.manager.event.CdrEvent;
import org.asteriskjava.manager.event.DialBeginEvent;
import org.asteriskjava.manager.event.DialEndEvent;
import org.asteriskjava.manager.event.DialEvent;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.NewChannelEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;

/** Turns Asterisk-Java's events into the call log's {@link AmiEvent}, keeping only what the log needs. */
final class AmiEventMapper {

    /** A run of digits this long in a channel name may be a phone number (Local/0912345678@...): masked. */
    private static final Pattern NUMBER_LIKE = Pattern.compile("\\d{6,}");
    /** Asterisk's own suffix of a channel name ({@code -0000001a}, {@code ;1} for Local): kept, it is no number. */
    private static final Pattern SUFFIX = Pattern.compile("-[0-9a-f]{8}(;[12])?$");

    private AmiEventMapper() {
    }

    static Optional<AmiEvent> map(String asterisk, ManagerEvent event, Instant received) {
        Instant at = at(event.getTimestamp(), received);
        Map<String, String> f = new HashMap<>();
        if (event instanceof NewChannelEvent) {
            NewChannelEvent e = (NewChannelEvent) event;
            put(f, "channel", mask(e.getChannel()));
            return Optional.of(new AmiEvent(asterisk, "Newchannel", e.getUniqueId(), e.getLinkedid(), at, f));
        }
        if (event instanceof DialBeginEvent || event instanceof DialEndEvent) {
            DialEvent e = (DialEvent) event;
            put(f, "destUniqueid", e.getDestUniqueId());
            put(f, "destChannel", mask(e.getDestChannel()));
            String linked;
            String name;
            if (event instanceof DialEndEvent) {
                DialEndEvent end = (DialEndEvent) event;
                put(f, "dialStatus", e.getDialStatus());
                linked = first(end.getLinkedId(), end.getDestLinkedId());
                name = "DialEnd";
            } else {
                DialBeginEvent begin = (DialBeginEvent) event;
                linked = first(begin.getLinkedId(), begin.getDestLinkedId());
                name = "DialBegin";
            }
            return Optional.of(new AmiEvent(asterisk, name, e.getUniqueId(), linked, at, f));
        }
        if (event instanceof AbstractBridgeEvent && isEnterOrLeave(event)) {
            AbstractBridgeEvent e = (AbstractBridgeEvent) event;
            put(f, "bridgeUniqueid", e.getBridgeUniqueId());
            String name = event.getClass().getSimpleName().startsWith("BridgeEnter") ? "BridgeEnter" : "BridgeLeave";
            String channel;
            String uniqueid;
            String linkedid;
            if (event instanceof org.asteriskjava.manager.event.BridgeEnterEvent) {
                org.asteriskjava.manager.event.BridgeEnterEvent b = (org.asteriskjava.manager.event.BridgeEnterEvent) event;
                channel = b.getChannel();
                uniqueid = b.getUniqueId();
                linkedid = b.getLinkedId();
            } else {
                org.asteriskjava.manager.event.BridgeLeaveEvent b = (org.asteriskjava.manager.event.BridgeLeaveEvent) event;
                channel = b.getChannel();
                uniqueid = b.getUniqueId();
                linkedid = b.getLinkedId();
            }
            put(f, "channel", mask(channel));
            return Optional.of(new AmiEvent(asterisk, name, uniqueid, linkedid, at, f));
        }
        if (event instanceof HangupEvent) {
            HangupEvent e = (HangupEvent) event;
            put(f, "channel", mask(e.getChannel()));
            put(f, "cause", e.getCause() == null ? null : e.getCause().toString());
            put(f, "causeText", e.getCauseTxt());
            return Optional.of(new AmiEvent(asterisk, "Hangup", e.getUniqueId(), e.getLinkedId(), at, f));
        }
        if (event instanceof CdrEvent) {
            CdrEvent e = (CdrEvent) event;
            put(f, "disposition", e.getDisposition());
            put(f, "duration", e.getDuration() == null ? null : e.getDuration().toString());
            put(f, "billableSeconds", e.getBillableSeconds() == null ? null : e.getBillableSeconds().toString());
            put(f, "lastApplication", e.getLastApplication());
            // A Cdr has no Linkedid; it is the record of the channel named by its UniqueID, the call's first channel.
            return Optional.of(new AmiEvent(asterisk, "Cdr", e.getUniqueId(), e.getUniqueId(), at, f));
        }
        if (event instanceof OriginateResponseEvent) {
            OriginateResponseEvent e = (OriginateResponseEvent) event;
            put(f, "response", e.getResponse());
            put(f, "reason", e.getReason() == null ? null : e.getReason().toString());
            return Optional.of(new AmiEvent(asterisk, "OriginateResponse", e.getUniqueId(), e.getUniqueId(), at, f));
        }
        if (event instanceof CallBackConfirmEvent) {
            CallBackConfirmEvent e = (CallBackConfirmEvent) event;
            put(f, "result", e.getResult());
            put(f, "callback", e.getCallback());
            return Optional.of(new AmiEvent(asterisk, "UserEvent:CallBackConfirm", e.getUniqueId(), e.getLinkedid(), at, f));
        }
        return Optional.empty();
    }

    private static boolean isEnterOrLeave(ManagerEvent event) {
        return event instanceof org.asteriskjava.manager.event.BridgeEnterEvent
                || event instanceof org.asteriskjava.manager.event.BridgeLeaveEvent;
    }

    static String mask(String channel) {
        if (channel == null) {
            return null;
        }
        java.util.regex.Matcher suffix = SUFFIX.matcher(channel);
        int cut = suffix.find() ? suffix.start() : channel.length();
        return NUMBER_LIKE.matcher(channel.substring(0, cut)).replaceAll("…") + channel.substring(cut);
    }

    private static Instant at(Double timestamp, Instant received) {
        if (timestamp == null) {
            return received;
        }
        BigDecimal micros = BigDecimal.valueOf(timestamp).movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP);
        long us = micros.longValueExact();
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000L);
    }

    private static String first(String a, String b) {
        return a != null && !a.isEmpty() ? a : b;
    }

    private static void put(Map<String, String> f, String key, String value) {
        if (value != null && !value.isEmpty()) {
            f.put(key, value);
        }
    }
}
