package vn.hotline.ivr.prompt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;
import vn.hotline.ivr.engine.Command;
import vn.hotline.ivr.triage.Language;

/**
 * Renders {@link Command.PlayPrompt} for each kind of channel. Voice reads a parameter character by character
 * from catalog entries ({@code char.0} to {@code char.9}, {@code char.a} to {@code char.z}, {@code char.dash}),
 * so Vietnamese needs no sound pack of Asterisk's; SMS writes it out as it is.
 */
public final class PromptRenderer {

    /** The audio folder under Asterisk's sounds directory. */
    public static final String AUDIO_ROOT = "hotline";

    private final PromptCatalogs catalogs;

    public PromptRenderer(PromptCatalogs catalogs) {
        this.catalogs = catalogs;
    }

    /**
     * The audio file (no extension) for a key: {@code menu.greeting} in Vietnamese is {@code hotline/vi/menu-greeting}
     * (dots and underscores become dashes).
     */
    public static String audioFile(String key, Language language) {
        return AUDIO_ROOT + "/" + language.tag() + "/" + key.replace('.', '-').replace('_', '-');
    }

    /** The files Asterisk streams for a prompt: the prompt's own, then each character of each parameter. */
    public List<String> audioFiles(Command.PlayPrompt prompt) {
        List<String> files = new ArrayList<>();
        files.add(audioFile(prompt.key(), prompt.language()));
        for (String value : prompt.params().values()) {
            for (int i = 0; i < value.length(); i++) {
                files.add(audioFile(characterKey(value.charAt(i)), prompt.language()));
            }
        }
        return files;
    }

    /** The text a voice provider speaks ({@code <Say>}): parameters spelled out from the catalog. */
    public String speech(Command.PlayPrompt prompt) {
        String template = catalogs.text(prompt.key(), prompt.language(), false);
        return fill(template, prompt.params(), value -> spell(value, prompt.language()));
    }

    /** The text of an SMS: the short catalog, parameters written as they are. */
    public String sms(Command.PlayPrompt prompt) {
        String template = catalogs.text(prompt.key(), prompt.language(), true);
        return fill(template, prompt.params(), value -> value);
    }

    /** One SMS for the prompts of a step, in order, separated by a space. */
    public String smsMessage(List<Command> commands) {
        StringJoiner message = new StringJoiner(" ");
        for (Command command : commands) {
            if (command instanceof Command.PlayPrompt prompt) {
                message.add(sms(prompt));
            }
        }
        return message.toString();
    }

    /** The catalog key that names one character of a parameter. */
    public static String characterKey(char c) {
        if (c == '-') {
            return "char.dash";
        }
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return "char." + Character.toString(c).toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("cannot read '" + c + "' aloud");
    }

    private String spell(String value, Language language) {
        StringJoiner spoken = new StringJoiner(", ");
        for (int i = 0; i < value.length(); i++) {
            spoken.add(catalogs.text(characterKey(value.charAt(i)), language, false));
        }
        return spoken.toString();
    }

    private static String fill(String template, Map<String, String> params, UnaryOperator<String> rendering) {
        String text = template;
        for (Map.Entry<String, String> param : params.entrySet()) {
            text = text.replace("{" + param.getKey() + "}", rendering.apply(param.getValue()));
        }
        return text;
    }
}
