package vn.hotline.gateway.channel.twilio.internal;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.TwiML;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Play;
import com.twilio.twiml.voice.Redirect;
import com.twilio.twiml.voice.Say;
import java.util.ArrayList;
import java.util.List;
import vn.hotline.gateway.channel.twilio.TwilioProperties;
import vn.hotline.ivr.engine.Command;
import vn.hotline.ivr.prompt.PromptRenderer;
import vn.hotline.ivr.triage.Language;

/**
 * Renders engine commands as TwiML with the SDK's builders: prompts as {@code <Play>} of the prompt audio or
 * {@code <Say>} in the prompt's language, a menu as {@code <Gather>} whose action carries the next step, a transfer as
 * a redirect to the first rung of the ladder, the end as {@code <Hangup>}.
 */
final class VoiceTwiml {

    private final PromptRenderer prompts;
    private final TwilioProperties.Voice voice;
    /** Steps without parameters (menus, the transfer) read the same for every caller. */
    private final TwimlMemo<Rendering> rendered = new TwimlMemo<>(2_000);

    private record Rendering(List<Command> commands, int nextStep) {
    }

    VoiceTwiml(PromptRenderer prompts, TwilioProperties.Voice voice) {
        this.prompts = prompts;
        this.voice = voice;
    }

    /** The TwiML for one step's commands; {@code nextStep} goes into the gather action. */
    String render(List<Command> commands, int nextStep) {
        boolean same = commands.stream().noneMatch(c -> c instanceof Command.PlayPrompt p && !p.params().isEmpty());
        if (!same) {
            return build(commands, nextStep);
        }
        return rendered.get(new Rendering(List.copyOf(commands), nextStep), () -> build(commands, nextStep));
    }

    private String build(List<Command> commands, int nextStep) {
        VoiceResponse.Builder response = new VoiceResponse.Builder();
        List<Command.PlayPrompt> pending = new ArrayList<>();
        for (Command command : commands) {
            if (command instanceof Command.PlayPrompt prompt) {
                if (prompt.readsReference()) {
                    // Outside any <Gather>, so a key pressed early cannot cut the reference short.
                    pending.add(prompt);
                    flush(response, pending);
                } else {
                    pending.add(prompt);
                }
            } else if (command instanceof Command.Gather gather) {
                Gather.Builder menu = new Gather.Builder()
                        .inputs(Gather.Input.DTMF)
                        .action(TwilioRoutes.GATHER + "?step=" + nextStep)
                        .method(HttpMethod.POST)
                        .numDigits(gather.maxLength())
                        .timeout(gather.timeoutSeconds())
                        .actionOnEmptyResult(true);
                if (!gather.terminator().isEmpty()) {
                    menu.finishOnKey(gather.terminator());
                }
                for (Command.PlayPrompt prompt : pending) {
                    for (TwiML verb : speak(prompt)) {
                        if (verb instanceof Say say) {
                            menu.say(say);
                        } else {
                            menu.play((Play) verb);
                        }
                    }
                }
                pending.clear();
                response.gather(menu.build());
            } else if (command instanceof Command.Transfer) {
                flush(response, pending);
                response.redirect(new Redirect.Builder(TwilioRoutes.LADDER + "?rung=1").method(HttpMethod.POST).build());
            } else if (command instanceof Command.Hangup) {
                flush(response, pending);
                response.hangup(new Hangup.Builder().build());
            }
        }
        flush(response, pending);
        return response.build().toXml();
    }

    /** One rung of the ladder: the officer hears the whisper and must press 1, so voicemail never counts. */
    String dial(String number, int rung, int ringSeconds) {
        Number screened = new Number.Builder(number)
                .url(TwilioRoutes.WHISPER + "?rung=" + rung).method(HttpMethod.POST).build();
        Dial dial = new Dial.Builder().action(TwilioRoutes.DIAL + "?rung=" + rung).method(HttpMethod.POST)
                .timeout(ringSeconds).answerOnBridge(true).number(screened).build();
        return new VoiceResponse.Builder().dial(dial).build().toXml();
    }

    /** What the officer hears before the caller is connected. */
    String whisper(String offer, int rung, int timeoutSeconds, Language language) {
        Gather gather = new Gather.Builder().inputs(Gather.Input.DTMF).numDigits(1).timeout(timeoutSeconds)
                .action(TwilioRoutes.WHISPER_ACCEPT + "?rung=" + rung).method(HttpMethod.POST)
                .actionOnEmptyResult(true).say(say(offer, language)).build();
        return new VoiceResponse.Builder().gather(gather).hangup(new Hangup.Builder().build()).build().toXml();
    }

    String redirect(String url) {
        return new VoiceResponse.Builder().redirect(new Redirect.Builder(url).method(HttpMethod.POST).build()).build().toXml();
    }

    String sayAndHangUp(String text, Language language) {
        return new VoiceResponse.Builder().say(say(text, language)).hangup(new Hangup.Builder().build()).build().toXml();
    }

    String hangUp() {
        return new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build().toXml();
    }

    /** An empty response: after an accepted whisper, Twilio bridges the two calls. */
    String empty() {
        return new VoiceResponse.Builder().build().toXml();
    }

    private void flush(VoiceResponse.Builder response, List<Command.PlayPrompt> pending) {
        for (Command.PlayPrompt prompt : pending) {
            for (TwiML verb : speak(prompt)) {
                if (verb instanceof Say say) {
                    response.say(say);
                } else {
                    response.play((Play) verb);
                }
            }
        }
        pending.clear();
    }

    private List<TwiML> speak(Command.PlayPrompt prompt) {
        List<TwiML> verbs = new ArrayList<>();
        if (voice.audioBaseUrl().isEmpty()) {
            verbs.add(say(prompts.speech(prompt), prompt.language()));
        } else {
            String base = voice.audioBaseUrl().endsWith("/") ? voice.audioBaseUrl() : voice.audioBaseUrl() + "/";
            for (String file : prompts.audioFiles(prompt)) {
                verbs.add(new Play.Builder(base + file + ".wav").build());
            }
        }
        return verbs;
    }

    private Say say(String text, Language language) {
        Say.Builder say = new Say.Builder(text).language(language == Language.EN ? Say.Language.EN_US : Say.Language.VI_VN);
        if (!voice.sayVoice().isEmpty()) {
            say.option("voice", voice.sayVoice());
        }
        return say.build();
    }
}
