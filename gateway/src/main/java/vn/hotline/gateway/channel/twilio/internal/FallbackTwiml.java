package vn.hotline.gateway.channel.twilio.internal;

import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Say;
import vn.hotline.gateway.channel.twilio.TwilioProperties;
import vn.hotline.ivr.triage.Language;

/**
 * The TwiML that puts a caller through to a person when this server cannot: the duty phone, then 111. Rendered
 * once at start-up from the configuration, so serving it needs no database. The same document, with the numbers
 * filled in, is {@code ops/twilio/fallback.xml}, hosted apart from the server as Twilio's fallback URL.
 */
final class FallbackTwiml {

    private final String twiml;

    FallbackTwiml(TwilioProperties.Voice voice, TwilioTexts texts) {
        int ring = (int) voice.ringTimeout().toSeconds();
        VoiceResponse.Builder response = new VoiceResponse.Builder()
                .say(new Say.Builder(texts.text("fallback.connecting", Language.VI)).language(Say.Language.VI_VN).build());
        for (String number : new String[] {voice.dutyNumber(), voice.national111Number()}) {
            if (!number.isEmpty()) {
                response.dial(new Dial.Builder().timeout(ring).number(new Number.Builder(number).build()).build());
            }
        }
        this.twiml = response.build().toXml();
    }

    String twiml() {
        return twiml;
    }
}
