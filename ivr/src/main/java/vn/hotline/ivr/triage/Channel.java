package vn.hotline.ivr.triage;

/** The way a contact reached the hotline. */
public enum Channel {
    ASTERISK_VOICE,
    TWILIO_VOICE,
    SMS,
    SWITCHBOARD,
    WEB
}
