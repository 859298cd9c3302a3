package vn.hotline.ivr.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.hotline.ivr.engine.Command;
import vn.hotline.ivr.triage.Language;

class PromptRendererTest {

    static final PromptCatalogs CATALOGS = PromptCatalogs.load(PromptCatalogs.DEFAULT_FOLDER);
    static final PromptRenderer RENDERER = new PromptRenderer(CATALOGS);
    static final Command.PlayPrompt REFERENCE =
            new Command.PlayPrompt("end.reference", Language.VI, Map.of("reference", "BD-2026-000123"));

    @Test
    void audioFileNameDerivesFromTheKeyAndLanguage() {
        assertThat(PromptRenderer.audioFile("menu.greeting", Language.VI)).isEqualTo("hotline/vi/menu-greeting");
        assertThat(PromptRenderer.audioFile("info.parents_teachers", Language.EN))
                .isEqualTo("hotline/en/info-parents-teachers");
    }

    @Test
    void voiceReadsTheCaseReferenceCharacterByCharacterFromOurOwnFiles() {
        assertThat(RENDERER.audioFiles(REFERENCE)).containsExactly(
                "hotline/vi/end-reference",
                "hotline/vi/char-b", "hotline/vi/char-d", "hotline/vi/char-dash",
                "hotline/vi/char-2", "hotline/vi/char-0", "hotline/vi/char-2", "hotline/vi/char-6",
                "hotline/vi/char-dash",
                "hotline/vi/char-0", "hotline/vi/char-0", "hotline/vi/char-0", "hotline/vi/char-1",
                "hotline/vi/char-2", "hotline/vi/char-3");
    }

    @Test
    void spokenTextSpellsTheReferenceInVietnamese() {
        assertThat(RENDERER.speech(REFERENCE)).isEqualTo("Mã số hồ sơ của bạn là: bê, dê, gạch ngang, hai, không, "
                + "hai, sáu, gạch ngang, không, không, không, một, hai, ba.");
    }

    @Test
    void smsWritesTheReferenceOutWithoutDiacritics() {
        assertThat(RENDERER.sms(REFERENCE)).isEqualTo("Ma ho so: BD-2026-000123.");
    }

    @Test
    void everyCharacterOfAReferenceHasAVoicePromptInBothLanguages() {
        String characters = "0123456789abcdefghijklmnopqrstuvwxyz-";
        for (Language language : Language.values()) {
            for (char c : characters.toCharArray()) {
                assertThat(CATALOGS.find(PromptCatalogs.name(language, false), PromptRenderer.characterKey(c)))
                        .as("%s in %s", c, language).isNotBlank();
            }
        }
    }

    @Test
    void vietnameseVoiceCatalogIsWrittenWithDiacriticsAndSmsCatalogsWithout() {
        assertThat(CATALOGS.text("menu.greeting", Language.VI, false)).contains("nguy hiểm", "bấm");
        for (String catalog : new String[] {"vi-sms", "en-sms"}) {
            CATALOGS.keys(catalog).forEach(key -> assertThat(CATALOGS.find(catalog, key))
                    .as("%s %s", catalog, key).matches("[\\x20-\\x7E]*"));
        }
    }
}
