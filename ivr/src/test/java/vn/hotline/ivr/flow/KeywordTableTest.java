package vn.hotline.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.hotline.ivr.text.TextNormalizer;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.Urgency;

class KeywordTableTest {

    static final KeywordTable TABLE = KeywordTable.load(KeywordTable.DEFAULT_TABLE);

    static Facts facts(String text) {
        return TABLE.facts(TextNormalizer.normalise(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bị bắt nạt                       | CYBERBULLYING",
        "bi bat nat                       | CYBERBULLYING",
        "BỊ BẮT NẠT!!!                    | CYBERBULLYING",
        "nó dọa tung ảnh nóng của em      | ONLINE_SEXUAL_ABUSE",
        "no doa tung anh nong cua em      | ONLINE_SEXUAL_ABUSE",
        "em bị lừa đảo mất tiền           | ONLINE_SCAM",
        "bị lộ thông tin cá nhân          | PRIVACY_LEAK",
        "bố em bạo hành                   | VIOLENCE_ABUSE",
        "em bị bỏ mặc ở nhà               | NEGLECT",
        "em buồn quá                      | MENTAL_HEALTH",
        "my son is being bullied          | CYBERBULLYING",
    })
    void freeTextWithOrWithoutDiacriticsMatchesTheSameCategory(String text, Category category) {
        assertThat(facts(text).answers().category()).isEqualTo(category);
    }

    @Test
    void dangerWordsMeanImmediate() {
        assertThat(facts("cứu em với").answers().urgency()).isEqualTo(Urgency.IMMEDIATE);
        assertThat(facts("thu thach nguy hiem tren tiktok").answers().urgency()).isNull();
    }

    @Test
    void ageRoleAndDistrictComeFromTheSameMessage() {
        Facts facts = facts("Con tôi 12 tuổi ở Tuy Phước bị bắt nạt");

        assertThat(facts.answers().ageBand()).isEqualTo(AgeBand.AGE_11_15);
        assertThat(facts.answers().reporterRole()).isEqualTo(ReporterRole.PARENT_RELATIVE);
        assertThat(facts.answers().formerDistrict()).isEqualTo("550");
        assertThat(facts.language()).isNull();
    }

    @Test
    void englishPhrasesAloneMarkTheMessageEnglish() {
        assertThat(facts("my daughter is 9 years old and was scammed").language()).isEqualTo(Language.EN);
        assertThat(facts("my daughter is 9 years old").answers().ageBand()).isEqualTo(AgeBand.AGE_6_10);
    }

    @Test
    void garbageAndEmojiSayNothing() {
        assertThat(facts("😢🙏 ???")).isEqualTo(Facts.NONE);
        assertThat(facts("asdf qwer 123")).isEqualTo(Facts.NONE);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "Quy Nhơn, 540", "An Lão, 542", "Hoài Nhơn, 543", "Hoài Ân, 544", "Phù Mỹ, 545", "Vĩnh Thạnh, 546",
        "Tây Sơn, 547", "Phù Cát, 548", "An Nhơn, 549", "Tuy Phước, 550", "Vân Canh, 551",
        "Pleiku, 622", "An Khê, 623", "Ayun Pa, 624", "KBang, 625", "Đăk Đoa, 626", "Chư Păh, 627",
        "Ia Grai, 628", "Mang Yang, 629", "Kông Chro, 630", "Đức Cơ, 631", "Chư Prông, 632", "Chư Sê, 633",
        "Đăk Pơ, 634", "Ia Pa, 635", "Krông Pa, 637", "Phú Thiện, 638", "Chư Pưh, 639",
    })
    void everyFormerDistrictNameMatchesItsGsoCode(String name, String code) {
        assertThat(facts("nhà em ở " + name).answers().formerDistrict()).isEqualTo(code);
    }
}
