package vn.hotline.ivr.engine;

/** What a gather collects. */
public enum GatherMode {
    /** Keypad digits (Asterisk, Twilio voice). */
    DIGITS,
    /** A text reply (SMS). */
    TEXT
}
