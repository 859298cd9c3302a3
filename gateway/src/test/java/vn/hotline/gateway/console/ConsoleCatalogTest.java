package vn.hotline.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import vn.hotline.gateway.cases.CaseStatus;
import vn.hotline.gateway.cases.ReferralTarget;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.Urgency;

/** Everything people read in the console comes from the catalogs, in Vietnamese and in English. */
class ConsoleCatalogTest {

    private static final Path TEMPLATES = Path.of("src/main/resources/templates/console");
    /** Attributes people read (or hear through a screen reader). */
    private static final Pattern READABLE_ATTRIBUTE = Pattern.compile(
            "\\s(title|alt|placeholder|aria-label|aria-description|label|value|summary)=\"([^\"]*)\"");
    /** A tag, with quoted attribute values that may hold {@code >} (expressions such as {@code ${n > 0}}). */
    private static final Pattern TAG = Pattern.compile("<(?:\"[^\"]*\"|'[^']*'|[^'\">])*>");
    private static final Pattern LETTER = Pattern.compile("\\p{L}");
    private static final Pattern STATIC_KEY = Pattern.compile("#\\{([a-zA-Z0-9_.\\-]+)[}(]");

    static Properties catalog(String name) {
        Properties p = new Properties();
        try (InputStream in = ConsoleCatalogTest.class.getResourceAsStream("/console/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static List<Path> templates() throws IOException {
        try (Stream<Path> files = Files.list(TEMPLATES)) {
            return files.filter(f -> f.toString().endsWith(".html")).sorted().toList();
        }
    }

    /** Text meant for people written straight into a template, as "file: text" lines. */
    static List<String> literalText(String name, String html) {
        String code = html.replaceAll("(?s)<!--.*?-->", "")
                .replaceAll("(?s)<script\\b.*?</script>", "<script></script>")
                .replaceAll("(?s)<style\\b.*?</style>", "<style></style>")
                .replaceAll("<meta\\b[^>]*>", "<meta>");
        List<String> found = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        Matcher tag = TAG.matcher(code);
        int textStart = 0;
        while (tag.find()) {
            String text = code.substring(textStart, tag.start());
            if (LETTER.matcher(text).find()) {
                found.add(name + ": text '" + text.strip() + "'");
            }
            tags.add(tag.group());
            textStart = tag.end();
        }
        for (String t : tags) {
            Matcher attribute = READABLE_ATTRIBUTE.matcher(t);
            while (attribute.find()) {
                if (LETTER.matcher(attribute.group(2)).find()) {
                    found.add(name + ": " + attribute.group(1) + "='" + attribute.group(2) + "'");
                }
            }
        }
        return found;
    }

    @Test
    void noTemplateHoldsTextForPeopleOutsideTheCatalogs() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path template : templates()) {
            found.addAll(literalText(template.getFileName().toString(), Files.readString(template)));
        }
        assertThat(templates()).isNotEmpty();
        assertThat(found).isEmpty();
    }

    @Test
    void theLiteralTextCheckCatchesTextAndReadableAttributes() {
        assertThat(literalText("t", "<p th:text=\"#{a}\"></p><p>Xin chào</p><input placeholder=\"Tên\"><b>—</b>"
                + "<td th:classappend=\"${n > 0} ? 'attention'\"></td><i th:if=\"${a > b}\">Lỗi</i>"))
                .containsExactly("t: text 'Xin chào'", "t: text 'Lỗi'", "t: placeholder='Tên'");
    }

    @Test
    void bothLanguagesHaveTheSameKeys() {
        assertThat(catalog("messages_en.properties").stringPropertyNames())
                .containsExactlyInAnyOrderElementsOf(catalog("messages.properties").stringPropertyNames());
    }

    @Test
    void everyKeyATemplateNamesAndEveryCodeItShowsIsInTheCatalog() throws IOException {
        Set<String> needed = new TreeSet<>();
        for (Path template : templates()) {
            Matcher key = STATIC_KEY.matcher(Files.readString(template));
            while (key.find()) {
                needed.add(key.group(1));
            }
        }
        for (CaseStatus s : CaseStatus.values()) {
            needed.add("status." + s);
        }
        for (Urgency u : Urgency.values()) {
            needed.add("urgency." + u);
        }
        for (Category c : Category.values()) {
            needed.add("category." + c);
        }
        for (ReporterRole r : ReporterRole.values()) {
            needed.add("reporter." + r);
        }
        for (AgeBand a : AgeBand.values()) {
            needed.add("age." + a.code());
        }
        for (Channel c : Channel.values()) {
            needed.add("channel." + c);
        }
        for (ReferralTarget t : ReferralTarget.values()) {
            needed.add("target." + t);
        }
        assertThat(catalog("messages.properties").stringPropertyNames()).containsAll(needed);
    }

    @Test
    void theVietnameseCatalogIsWrittenWithItsDiacritics() {
        assertThat(catalog("messages.properties").getProperty("queue.heading")).isEqualTo("Hồ sơ đang mở");
    }
}
