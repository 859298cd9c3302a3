package vn.hotline.gateway.channel.twilio.internal;

/** The webhook paths Twilio calls; the step or rung in each action URL is covered by the signature. */
final class TwilioRoutes {

    static final String VOICE = "/twilio/voice";
    static final String GATHER = "/twilio/voice/gather";
    static final String LADDER = "/twilio/voice/ladder";
    static final String DIAL = "/twilio/voice/dial";
    static final String WHISPER = "/twilio/voice/whisper";
    static final String WHISPER_ACCEPT = "/twilio/voice/whisper/accept";
    static final String VOICE_STATUS = "/twilio/voice/status";
    static final String FALLBACK = "/twilio/voice/fallback";
    static final String SMS = "/twilio/sms";
    static final String SMS_STATUS = "/twilio/sms/status";

    private TwilioRoutes() {
    }
}
