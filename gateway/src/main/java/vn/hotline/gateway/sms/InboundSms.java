package vn.hotline.gateway.sms;

import java.util.Objects;

/**
 * A text message received by any SMS provider (Twilio, a carrier gateway).
 *
 * @param provider who delivered it, e.g. {@code twilio}
 * @param messageId the provider's id; a redelivery carries the same one
 * @param from the sender's number as the provider wrote it
 * @param to the hotline number it was sent to
 * @param text what the sender wrote
 */
public record InboundSms(String provider, String messageId, String from, String to, String text) {

    public InboundSms {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
        text = text == null ? "" : text;
    }

    /** Never the number or the text: both are personal. */
    @Override
    public String toString() {
        return "InboundSms[" + provider + " " + messageId + "]";
    }
}
