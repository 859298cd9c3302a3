package vn.hotline.ivr.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import vn.hotline.ivr.triage.Language;

/**
 * The prompt texts by key: one catalog per language for voice ({@code vi}, {@code en}) and one per language for
 * SMS ({@code vi-sms}, {@code en-sms}: short, and GSM-7 so a message fits 160 characters).
 */
public final class PromptCatalogs {

    /** Where the catalogs live on the classpath. */
    public static final String DEFAULT_FOLDER = "prompts";

    private final Map<String, Map<String, String>> catalogs;

    private PromptCatalogs(Map<String, Map<String, String>> catalogs) {
        this.catalogs = catalogs;
    }

    /** Loads {@code vi}, {@code en}, {@code vi-sms} and {@code en-sms} from {@code folder} on the classpath. */
    public static PromptCatalogs load(String folder) {
        Map<String, Map<String, String>> catalogs = new LinkedHashMap<>();
        for (Language language : Language.values()) {
            catalogs.put(name(language, false), read(folder, name(language, false)));
            catalogs.put(name(language, true), read(folder, name(language, true)));
        }
        return new PromptCatalogs(Map.copyOf(catalogs));
    }

    /** The catalog name for a language and medium: {@code vi}, {@code vi-sms}, ... */
    public static String name(Language language, boolean sms) {
        return sms ? language.tag() + "-sms" : language.tag();
    }

    /** The names of all catalogs. */
    public Set<String> names() {
        return catalogs.keySet();
    }

    /** The text of {@code key} in the named catalog, or {@code null} when missing. */
    public String find(String catalog, String key) {
        return catalogs.get(catalog).get(key);
    }

    /** The keys of the named catalog. */
    public Set<String> keys(String catalog) {
        return catalogs.get(catalog).keySet();
    }

    /** The text of {@code key}; {@link IllegalArgumentException} when missing (flows are validated against it). */
    public String text(String key, Language language, boolean sms) {
        String text = find(name(language, sms), key);
        if (text == null) {
            throw new IllegalArgumentException("no prompt '" + key + "' in catalog " + name(language, sms));
        }
        return text;
    }

    private static Map<String, String> read(String folder, String name) {
        String resource = folder + "/" + name + ".properties";
        try (InputStream in = PromptCatalogs.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing prompt catalog " + resource);
            }
            Properties properties = new Properties();
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            Map<String, String> texts = new LinkedHashMap<>();
            properties.stringPropertyNames().forEach(key -> texts.put(key, properties.getProperty(key)));
            return Map.copyOf(texts);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read prompt catalog " + resource, e);
        }
    }
}
