package vn.hotline.gateway.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.hotline.gateway.privacy.internal.KeyRing;

class PersonalDataTest {

    @TempDir
    Path dir;
    PersonalData personalData;

    @BeforeEach
    void keys() {
        PrivacyProperties props = new PrivacyProperties(dir.resolve("keys/hotline.keys"), true, "VN");
        personalData = new PersonalData(new KeyRing(props), props);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0912345678", "84912345678", "+84 912 345 678", "+84-912-345-678", "0084912345678", "(091) 234-5678"})
    void vietnameseFormatsNormaliseToOneE164Number(String written) {
        CallerId id = personalData.identify(written);
        assertThat(id).isInstanceOf(CallerId.Number.class);
        assertThat(((CallerId.Number) id).e164()).isEqualTo("+84912345678");
    }

    @Test
    void theSameNumberWrittenThreeWaysGivesOneHmac() {
        byte[] a = personalData.lookupHash((CallerId.Number) personalData.identify("0912345678"));
        byte[] b = personalData.lookupHash((CallerId.Number) personalData.identify("84912345678"));
        byte[] c = personalData.lookupHash((CallerId.Number) personalData.identify("+84 912 345 678"));
        assertThat(a).hasSize(32).isEqualTo(b).isEqualTo(c);
        assertThat(personalData.lookupHash((CallerId.Number) personalData.identify("0912345679"))).isNotEqualTo(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"anonymous", "Anonymous", "restricted", "", "  ", "+266696687", "unknown"})
    void withheldNumbersStayWithheld(String written) {
        assertThat(personalData.identify(written)).isInstanceOf(CallerId.Withheld.class);
        assertThat(personalData.identify(written).kind()).isEqualTo("WITHHELD");
    }

    @Test
    void garbageIsUnknownNotAGuess() {
        assertThat(personalData.identify("hello")).isInstanceOf(CallerId.Unknown.class);
        assertThat(personalData.identify("12")).isInstanceOf(CallerId.Unknown.class);
        // A masked number must never come back as a number (libphonenumber reads x as the keypad's 9).
        assertThat(personalData.identify("09x xxx x678")).isInstanceOf(CallerId.Unknown.class);
        assertThat(personalData.identify("1-800-FLOWERS")).isInstanceOf(CallerId.Unknown.class);
    }

    @Test
    void numbersAreMaskedForDisplay() {
        assertThat(((CallerId.Number) personalData.identify("0912345678")).masked()).isEqualTo("09x xxx x678");
        assertThat(personalData.identify("0912345678").toString()).doesNotContain("912345678");
    }

    @Test
    void protectedNumbersHoldNoPlaintextAndRevealOnlyForTheirField() {
        ProtectedNumber p = personalData.protect((CallerId.Number) personalData.identify("0912345678"), DataField.CALLER_NUMBER);
        assertThat(new String(p.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("912345678");
        assertThat(personalData.reveal(p.ciphertext(), p.keyId(), DataField.CALLER_NUMBER)).isEqualTo("+84912345678");
        assertThatThrownBy(() -> personalData.reveal(p.ciphertext(), p.keyId(), DataField.OFFICER_PHONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void freeTextIsEncryptedWithAFreshNonceEachTime() {
        Encrypted a = personalData.encrypt("Em bị đe dọa tung ảnh", DataField.CASE_NOTE);
        Encrypted b = personalData.encrypt("Em bị đe dọa tung ảnh", DataField.CASE_NOTE);
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
        assertThat(personalData.decrypt(a, DataField.CASE_NOTE)).isEqualTo("Em bị đe dọa tung ảnh");
    }

    @Test
    void aTamperedCiphertextDoesNotOpen() {
        Encrypted a = personalData.encrypt("ghi chú", DataField.CASE_NOTE);
        a.ciphertext()[a.ciphertext().length - 1] ^= 1;
        assertThatThrownBy(() -> personalData.decrypt(a, DataField.CASE_NOTE)).isInstanceOf(IllegalArgumentException.class);
    }
}
