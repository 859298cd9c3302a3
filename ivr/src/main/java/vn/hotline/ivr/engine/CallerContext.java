package vn.hotline.ivr.engine;

import java.time.Instant;
import java.util.Objects;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Language;

/**
 * What the gateway knows when a contact starts.
 *
 * @param callerId the caller's number in E.164, or {@code anonymous} when withheld
 * @param dialledNumber the hotline number that was called or texted
 * @param languageHint the language to start in (from the dialled number or the provider), or {@code null} for
 *     Vietnamese
 * @param receivedAt when the call was answered or the SMS received: the statutory clock starts here
 * @param firstText the first SMS of a text conversation, or {@code null}
 */
public record CallerContext(Channel channel, String callerId, String dialledNumber, Language languageHint,
        Instant receivedAt, String firstText) {

    /** How gateways write a withheld number. */
    public static final String ANONYMOUS = "anonymous";

    public CallerContext {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(callerId, "callerId");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** A voice call. */
    public static CallerContext voice(Channel channel, String callerId, String dialledNumber, Language languageHint,
            Instant receivedAt) {
        return new CallerContext(channel, callerId, dialledNumber, languageHint, receivedAt, null);
    }

    /** An SMS conversation opened by {@code firstText}. */
    public static CallerContext sms(String callerId, String dialledNumber, Instant receivedAt, String firstText) {
        return new CallerContext(Channel.SMS, callerId, dialledNumber, null, receivedAt, firstText);
    }

    /** True when the number is withheld, so nobody can call back. */
    public boolean withheld() {
        return ANONYMOUS.equalsIgnoreCase(callerId) || callerId.isBlank();
    }
}
