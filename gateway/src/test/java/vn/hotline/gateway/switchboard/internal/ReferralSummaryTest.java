package vn.hotline.gateway.switchboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.Urgency;

class ReferralSummaryTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {"vi", "en"})
    void everyTriageCodeHasATextInBothCatalogs(String language) {
        ReferralSummary summary = new ReferralSummary(Locale.forLanguageTag(language));
        List<String> keys = new ArrayList<>();
        for (Category c : Category.values()) {
            keys.add("category." + c.name());
        }
        for (Urgency u : Urgency.values()) {
            keys.add("urgency." + u.name());
        }
        for (AgeBand a : AgeBand.values()) {
            keys.add("age." + a.code());
        }
        for (ReporterRole r : ReporterRole.values()) {
            keys.add("reporter." + r.name());
        }
        keys.add("hand-off.VOICE");
        for (String key : keys) {
            assertThat(summary.text(key)).as(language + " " + key).isNotEqualTo(key).isNotBlank();
        }
    }

    @Test
    void aVoiceHandOffSummaryIsVietnameseWithDiacriticsAndOnlyCodes() {
        String payload = """
                {"caseReference":"BD-2026-000123","category":"ONLINE_SEXUAL_ABUSE","urgency":"IMMEDIATE","unitCode":"21952",
                 "ageBand":"11_15","reporterRole":"CHILD","handOff":"VOICE"}""";

        assertThat(new ReferralSummary(ReferralSummary.VIETNAMESE).render(JSON.readTree(payload))).isEqualTo(
                "Ca BD-2026-000123: xâm hại tình dục trên mạng; mức độ: nguy hiểm ngay lúc này; trẻ 11–15 tuổi; "
                        + "người báo tin: chính trẻ em; đơn vị hành chính: 21952. Người gọi đã được chuyển máy sang 111.");
    }

    @Test
    void aReferralWithoutUnitSaysSoAndHasNoHandOffLine() {
        String payload = """
                {"caseReference":"BD-2026-000124","category":"CYBERBULLYING","urgency":"NORMAL","unitCode":"",
                 "ageBand":"UNKNOWN","reporterRole":"TEACHER"}""";

        assertThat(new ReferralSummary(Locale.forLanguageTag("en")).render(JSON.readTree(payload))).isEqualTo(
                "Case BD-2026-000124: cyberbullying; urgency: normal; child of unknown age; reported by: a teacher; "
                        + "administrative unit: not known.");
    }
}
