package vn.hotline.gateway.channel.twilio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import vn.hotline.ivr.triage.Language;

/** The texts of the Twilio channels that are not IVR prompts (officer whisper and SMS), Vietnamese then English. */
final class TwilioTexts {

    private final Map<Language, Properties> catalogs = new EnumMap<>(Language.class);

    private TwilioTexts() {
    }

    static TwilioTexts load() {
        TwilioTexts texts = new TwilioTexts();
        for (Language language : Language.values()) {
            String name = "/twilio/texts_" + language.tag() + ".properties";
            try (InputStream in = TwilioTexts.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing catalog " + name);
                }
                Properties properties = new Properties();
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                texts.catalogs.put(language, properties);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return texts;
    }

    String text(String key, Language language, Map<String, String> params) {
        String template = catalogs.get(language).getProperty(key);
        if (template == null) {
            throw new IllegalArgumentException("no text " + key + " in " + language.tag());
        }
        for (Map.Entry<String, String> param : params.entrySet()) {
            template = template.replace("{" + param.getKey() + "}", param.getValue());
        }
        return template;
    }

    String text(String key, Language language) {
        return text(key, language, Map.of());
    }
}
