package vn.hotline.gateway.privacy;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import vn.hotline.gateway.privacy.internal.KeyRing;

/**
 * The one way personal data is stored: numbers normalised to E.164 then kept as a keyed hash plus ciphertext, free
 * text as ciphertext. Nothing here logs what it is given.
 */
@Service
public class PersonalData {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** What networks put where a number would be: Asterisk, SIP, Twilio ({@code +266696687} spells ANONYMOUS). */
    private static final Set<String> WITHHELD = Set.of("anonymous", "restricted", "private", "withheld", "unavailable",
            "unknown", "+266696687", "266696687", "+7378742833", "+2562533", "+86282452253", "+8656696");

    private static final Pattern PHONE_CHARACTERS = Pattern.compile("\\+?[0-9 ().\\-]+");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s().-]");
    private static final Pattern VIETNAMESE_WITHOUT_PLUS = Pattern.compile("84\\d{9,10}");
    private static final Pattern NOT_A_DIGIT = Pattern.compile("\\D");

    private final KeyRing keys;
    private final String defaultRegion;

    public PersonalData(KeyRing keys, PrivacyProperties properties) {
        this.keys = keys;
        this.defaultRegion = properties.defaultRegion().toUpperCase(Locale.ROOT);
    }

    /** Normalises what the network gave as the caller's number. */
    public CallerId identify(String raw) {
        if (raw == null) {
            return new CallerId.Withheld();
        }
        String trimmed = raw.trim();
        if (trimmed.isEmpty() || WITHHELD.contains(trimmed.toLowerCase(Locale.ROOT))) {
            return new CallerId.Withheld();
        }
        if (!PHONE_CHARACTERS.matcher(trimmed).matches()) {
            // libphonenumber would read letters as a keypad spelling ("09x xxx" as 099 999): never guess a number.
            return new CallerId.Unknown();
        }
        try {
            PhoneNumber number = PHONES.parse(withPlusWhenInternational(trimmed), defaultRegion);
            if (!PHONES.isPossibleNumber(number)) {
                return new CallerId.Unknown();
            }
            return new CallerId.Number(PHONES.format(number, PhoneNumberFormat.E164), mask(number));
        } catch (NumberParseException e) {
            return new CallerId.Unknown();
        }
    }

    /** Protects a number for storage. */
    public ProtectedNumber protect(CallerId.Number number, DataField field) {
        Encrypted sealed = keys.encrypt(number.e164().getBytes(java.nio.charset.StandardCharsets.UTF_8), field);
        return new ProtectedNumber(lookupHash(number), sealed.ciphertext(), sealed.keyId(), number.masked());
    }

    /** The keyed hash that finds earlier contacts from the same number on any channel. */
    public byte[] lookupHash(CallerId.Number number) {
        return keys.lookupHash(number.e164());
    }

    /** Recovers the E.164 number, only to dial it. */
    public String reveal(byte[] ciphertext, String keyId, DataField field) {
        return new String(keys.decrypt(new Encrypted(keyId, ciphertext), field), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Encrypts free text (notes, what a caller typed). */
    public Encrypted encrypt(String text, DataField field) {
        return keys.encrypt(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), field);
    }

    /** Decrypts free text for an authorised reader. */
    public String decrypt(Encrypted encrypted, DataField field) {
        return new String(keys.decrypt(encrypted, field), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A stored reason opened: its ciphertext when sealed, else the clear text of a row written before V16 and not yet
     * sealed by the start-up migration (null when the row has no reason).
     */
    public Optional<String> reason(byte[] ciphertext, String keyId, String clear) {
        return ciphertext == null ? Optional.ofNullable(clear) : Optional.of(decrypt(new Encrypted(keyId, ciphertext), DataField.REASON));
    }

    /** Opens a ciphertext under its old key and seals it under the active one, for key rotation. */
    public Encrypted reencrypt(Encrypted old, DataField field) {
        return keys.encrypt(keys.decrypt(old, field), field);
    }

    /** The id of the key new ciphertext is sealed under. */
    public String activeEncryptionKeyId() {
        return keys.activeEncryptionKeyId();
    }

    /** A keyed digest of an audit payload, so the log proves what it saw without holding it or letting it be guessed. */
    public KeyedDigest auditDigest(byte[] canonicalPayload) {
        return new KeyedDigest(keys.auditKeyId(), keys.auditDigest(canonicalPayload));
    }

    /**
     * Vietnamese callers often send {@code 84912...} without the plus; libphonenumber would read that as a national
     * number, so an 11-digit {@code 84...} that is not a valid national number is taken as international.
     */
    private String withPlusWhenInternational(String raw) {
        String digits = SEPARATORS.matcher(raw).replaceAll("");
        if (digits.startsWith("00")) {
            return "+" + digits.substring(2);
        }
        if ("VN".equals(defaultRegion) && VIETNAMESE_WITHOUT_PLUS.matcher(digits).matches()) {
            return "+" + digits;
        }
        return raw;
    }

    /** National form with all but the first two and the last three digits hidden: {@code 09x xxx x678}. */
    private static String mask(PhoneNumber number) {
        String national = NOT_A_DIGIT.matcher(PHONES.format(number, PhoneNumberFormat.NATIONAL)).replaceAll("");
        String prefix = number.getCountryCode() == 84 ? "" : "+" + number.getCountryCode() + " ";
        if (national.length() < 6) {
            return prefix + "x".repeat(national.length());
        }
        StringBuilder masked = new StringBuilder(national.substring(0, 2));
        masked.append("x".repeat(national.length() - 5)).append(national.substring(national.length() - 3));
        String m = masked.toString();
        return prefix + m.substring(0, 3) + " " + m.substring(3, 6) + " " + m.substring(6);
    }
}
