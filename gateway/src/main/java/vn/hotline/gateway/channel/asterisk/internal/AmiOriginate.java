package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * One Originate a call-back sends. {@code channel} holds a phone number in clear for the moment of the dial: it is
 * never logged, stored or put in an exception ({@link #toString()} leaves it out).
 *
 * @param callbackId the call-back
 * @param channelId the Uniqueid Asterisk gives the new channel, so its events are ours from the first one
 * @param channel the dial string, with the number
 * @param context the dialplan context the answered channel runs (officer leg), or null
 * @param application the application the answered channel runs (child leg: {@code Bridge}), or null
 * @param data the application's argument
 * @param timeout how long it rings
 * @param callerId what the called phone shows
 * @param variables channel variables
 */
record AmiOriginate(UUID callbackId, String channelId, String channel, String context, String application, String data,
                    Duration timeout, String callerId, Map<String, String> variables) {

    @Override
    public String toString() {
        return "AmiOriginate[callback=" + callbackId + ", channelId=" + channelId + ", context=" + context
                + ", application=" + application + "]";
    }
}
