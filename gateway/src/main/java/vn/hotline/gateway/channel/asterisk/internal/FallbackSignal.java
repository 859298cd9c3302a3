package vn.hotline.gateway.channel.asterisk.internal;

/** The channel variables the shipped dialplan reads after the AGI returns. */
final class FallbackSignal {

    /** Set to 1 only when a script ends on purpose; anything else sends the caller to the fallback. */
    static final String DONE = "HOTLINE_DONE";
    /** Set to 1 by a script that gave up; the dialplan dials the duty phone, then 111. */
    static final String FALLBACK = "HOTLINE_FALLBACK";

    private FallbackSignal() {
    }

    /** Tells the dialplan the script gave up; a caller already gone needs nothing. */
    static void raise(AgiVoice voice) {
        try {
            voice.setVariable(FALLBACK, "1");
        } catch (AgiVoice.CallerGone | AgiVoice.ProtocolError e) {
            // The caller left or the connection is gone: there is nobody to send to the fallback.
        }
    }

    /** Tells the dialplan the script ended on purpose; a caller already gone needs nothing. */
    static void done(AgiVoice voice) {
        try {
            voice.setVariable(DONE, "1");
        } catch (AgiVoice.CallerGone | AgiVoice.ProtocolError e) {
            // Nobody is left to tell.
        }
    }
}
