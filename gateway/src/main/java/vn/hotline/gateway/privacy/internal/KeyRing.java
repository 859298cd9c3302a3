package vn.hotline.gateway.privacy.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.Encrypted;
import vn.hotline.gateway.privacy.KeyFiles;
import vn.hotline.gateway.privacy.PrivacyProperties;

/**
 * The keys, each with an id: AES-256-GCM keys for ciphertext (old ids stay to decrypt), an HMAC key for number
 * lookup, an HMAC key for audit digests. Read from a key file; generated on first run only where allowed.
 */
@Component
public class KeyRing {

    private static final byte FORMAT_VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKey> encryptionKeys;
    private final String activeEncryptionKey;
    private final ThreadLocal<Mac> lookupMac;
    private final String auditKeyId;
    private final ThreadLocal<Mac> auditMac;
    private final boolean generated;
    private final Map<String, byte[]> checkValues;

    public KeyRing(PrivacyProperties properties) {
        this.generated = !Files.exists(properties.keysFile()) && properties.generateKeysIfMissing();
        Properties file = load(properties.keysFile(), properties.generateKeysIfMissing());
        this.encryptionKeys = new HashMap<>();
        file.stringPropertyNames().stream()
                .filter(name -> name.startsWith("encryption.") && !name.equals("encryption.active"))
                .forEach(name -> encryptionKeys.put(name.substring("encryption.".length()), aesKey(file, name)));
        this.activeEncryptionKey = required(file, "encryption.active", properties.keysFile());
        if (!encryptionKeys.containsKey(activeEncryptionKey)) {
            throw new IllegalStateException("Key file " + properties.keysFile() + " names active encryption key '"
                    + activeEncryptionKey + "' but has no encryption." + activeEncryptionKey + " line.");
        }
        this.lookupMac = hmacs(hmacKey(file, "lookup." + required(file, "lookup.active", properties.keysFile())));
        this.auditKeyId = required(file, "audit.active", properties.keysFile());
        this.auditMac = hmacs(hmacKey(file, "audit." + auditKeyId));
        String lookupKeyId = "lookup." + required(file, "lookup.active", properties.keysFile());
        Map<String, byte[]> checks = new TreeMap<>();
        encryptionKeys.forEach((id, key) -> checks.put("encryption." + id, checkValue(key)));
        checks.put(lookupKeyId, checkValue(hmacKey(file, lookupKeyId)));
        checks.put("audit." + auditKeyId, checkValue(hmacKey(file, "audit." + auditKeyId)));
        this.checkValues = Map.copyOf(checks);
    }

    /** Whether this process generated the key file (demo and tests only). */
    public boolean generated() {
        return generated;
    }

    /**
     * A check value per key ({@code encryption.k1}, {@code lookup.l1}, {@code audit.a1}): an HMAC-SHA256 under the
     * key of a fixed text, which proves that a key is the same as when the value was stored without revealing it.
     */
    public Map<String, byte[]> checkValues() {
        return checkValues;
    }

    private static byte[] checkValue(SecretKey key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal("hotline key check v1".getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Seals bytes under the active key, bound to the field they belong to. */
    public Encrypted encrypt(byte[] plain, DataField field) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, encryptionKeys.get(activeEncryptionKey), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(activeEncryptionKey, field));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
            out[0] = FORMAT_VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
            return new Encrypted(activeEncryptionKey, out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Opens a ciphertext sealed under any key still in the ring. */
    public byte[] decrypt(Encrypted encrypted, DataField field) {
        SecretKey key = encryptionKeys.get(encrypted.keyId());
        if (key == null) {
            throw new IllegalStateException("No encryption key with id " + encrypted.keyId() + " in the key file");
        }
        byte[] in = encrypted.ciphertext();
        if (in.length < 1 + NONCE_BYTES || in[0] != FORMAT_VERSION) {
            throw new IllegalArgumentException("not a hotline ciphertext");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData(encrypted.keyId(), field));
            return cipher.doFinal(in, 1 + NONCE_BYTES, in.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("ciphertext does not open under key " + encrypted.keyId() + " for " + field, e);
        }
    }

    /** The id of the key new ciphertext is sealed under. */
    public String activeEncryptionKeyId() {
        return activeEncryptionKey;
    }

    /** HMAC-SHA256 for repeat-caller lookup. */
    public byte[] lookupHash(String value) {
        return lookupMac.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 for audit payload digests. */
    public byte[] auditDigest(byte[] canonicalPayload) {
        return auditMac.get().doFinal(canonicalPayload);
    }

    /** The id of the audit digest key, stored beside each digest. */
    public String auditKeyId() {
        return auditKeyId;
    }

    private static byte[] associatedData(String keyId, DataField field) {
        return ("hotline/" + field.name() + "/" + keyId).getBytes(StandardCharsets.UTF_8);
    }

    /** One keyed HMAC-SHA256 per thread: a {@link Mac} is not thread-safe, and looking one up costs more than using it. */
    private static ThreadLocal<Mac> hmacs(SecretKey key) {
        return ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    private static Properties load(Path file, boolean generateIfMissing) {
        if (!Files.exists(file)) {
            if (!generateIfMissing) {
                throw new IllegalStateException("Key file " + file.toAbsolutePath() + " does not exist: provision it "
                        + "(README, Keys) or set hotline.privacy.generate-keys-if-missing=true for a demo.");
            }
            generate(file);
        }
        return KeyFiles.read(file);
    }

    private static void generate(Path file) {
        Properties props = new Properties();
        props.setProperty("encryption.active", "k1");
        props.setProperty("encryption.k1", randomKey());
        props.setProperty("lookup.active", "l1");
        props.setProperty("lookup.l1", randomKey());
        props.setProperty("audit.active", "a1");
        props.setProperty("audit.a1", randomKey());
        KeyFiles.createOnce(file, props, "Hotline keys: back this file up apart from the database; losing it loses every ciphertext.");
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static String required(Properties file, String name, Path path) {
        String value = file.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Key file " + path + " has no " + name + " line");
        }
        return value.trim();
    }

    private static SecretKey aesKey(Properties file, String name) {
        return new SecretKeySpec(decode32(file, name), "AES");
    }

    private static SecretKey hmacKey(Properties file, String name) {
        return new SecretKeySpec(decode32(file, name), "HmacSHA256");
    }

    private static byte[] decode32(Properties file, String name) {
        String value = file.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("Key file has no " + name + " line");
        }
        byte[] key = Base64.getDecoder().decode(value.trim());
        if (key.length != 32) {
            throw new IllegalStateException("Key " + name + " must be 32 bytes (base64), not " + key.length);
        }
        return key;
    }
}
