package vn.hotline.gateway.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.privacy.internal.KeyRing;

/** Data sealed under k1 is moved to k2 by the rotation; afterwards k1 can be retired. */
@GatewayTest
class KeyRotationTest {

    private static final Path DIR = temp();
    private static final String K1 = key();
    private static final String K2 = key();
    private static final String NUMBER = "+84987650999";
    private static final String NOTE = "Ghi chú bí mật";

    private static Path temp() {
        try {
            return Files.createTempDirectory("hotline-rekey");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private static Path keyFile(String name, String active) throws IOException {
        Path file = DIR.resolve(name);
        Files.writeString(file, "encryption.active=" + active + "\nencryption.k1=" + K1 + "\nencryption.k2=" + K2
                + "\nlookup.active=l1\nlookup.l1=" + K1 + "\naudit.active=a1\naudit.a1=" + K2 + "\n");
        return file;
    }

    @DynamicPropertySource
    static void rotatedKeyFile(DynamicPropertyRegistry registry) throws IOException {
        Path rotated = keyFile("rotated.keys", "k2");
        registry.add("hotline.privacy.keys-file", rotated::toString);
    }

    @Autowired
    KeyRotation rotation;
    @Autowired
    PersonalData personalData;
    @Autowired
    DatabaseClient db;

    @Test
    void everyCiphertextMovesToTheActiveKeyAndStillOpens() throws IOException {
        PrivacyProperties before = new PrivacyProperties(keyFile("before.keys", "k1"), false, "VN");
        PersonalData old = new PersonalData(new KeyRing(before), before);
        ProtectedNumber caller = old.protect((CallerId.Number) old.identify(NUMBER), DataField.CALLER_NUMBER);
        ProtectedNumber phone = old.protect((CallerId.Number) old.identify(NUMBER), DataField.OFFICER_PHONE);
        Encrypted note = old.encrypt(NOTE, DataField.CASE_NOTE);
        assertThat(caller.keyId()).isEqualTo("k1");
        UUID call = UUID.randomUUID();
        UUID officer = UUID.randomUUID();
        UUID kase = UUID.randomUUID();
        var now = Instant.parse("2026-03-01T00:00:00Z").atOffset(ZoneOffset.UTC);
        db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher, caller_key_id, started_at)
                        VALUES (:id, 'SMS', 'carrier', 'rekey-1', 'NUMBER', :hash, :cipher, :key, :now)""")
                .bind("id", call).bind("hash", caller.lookupHash()).bind("cipher", caller.ciphertext()).bind("key", caller.keyId())
                .bind("now", now).then()
                .then(db.sql("""
                                INSERT INTO officers (id, roster_id, display_name, phone_hash, phone_cipher, phone_key_id, phone_masked, created_at, updated_at)
                                VALUES (:id, CAST(:id AS text), 'Officer', :hash, :cipher, :key, :masked, :now, :now)""")
                        .bind("id", officer).bind("hash", phone.lookupHash()).bind("cipher", phone.ciphertext())
                        .bind("key", phone.keyId()).bind("masked", phone.masked()).bind("now", now).then())
                .then(db.sql("""
                                INSERT INTO cases (id, reference, channel, language, category, urgency, reporter_role, age_band, status, received_at, call_id, created_at, updated_at)
                                VALUES (:id, 'BD-2026-000901', 'SMS', 'vi', 'CYBERBULLYING', 'NORMAL', 'CHILD', '11_15', 'RECEIVED', :now, :call, :now, :now)""")
                        .bind("id", kase).bind("call", call).bind("now", now).then())
                .then(db.sql("""
                                INSERT INTO case_events (case_id, occurred_at, actor, event_type, note_cipher, note_key_id)
                                VALUES (:case, :now, 'USER:officer', 'NOTE', :cipher, :key)""")
                        .bind("case", kase).bind("now", now).bind("cipher", note.ciphertext()).bind("key", note.keyId()).then())
                .block();

        RekeyReport report = rotation.reencryptAll(Actor.user("admin")).block();

        assertThat(report.activeKeyId()).isEqualTo("k2");
        assertThat(report.reencrypted()).containsEntry("calls.caller_cipher", 1L).containsEntry("officers.phone_cipher", 1L)
                .containsEntry("case_events.note_cipher", 1L);
        assertThat(report.remainingByKey()).containsOnlyKeys("k2");
        assertThat(report.complete()).isTrue();
        Encrypted stored = db.sql("SELECT caller_cipher, caller_key_id FROM calls WHERE id = :id").bind("id", call)
                .map(r -> new Encrypted(r.get("caller_key_id", String.class), r.get("caller_cipher", byte[].class))).one().block();
        assertThat(stored.keyId()).isEqualTo("k2");
        assertThat(personalData.reveal(stored.ciphertext(), stored.keyId(), DataField.CALLER_NUMBER)).isEqualTo(NUMBER);
        byte[] noteCipher = db.sql("SELECT note_cipher FROM case_events WHERE case_id = :id").bind("id", kase)
                .map(r -> r.get(0, byte[].class)).one().block();
        assertThat(personalData.decrypt(new Encrypted("k2", noteCipher), DataField.CASE_NOTE)).isEqualTo(NOTE);
        assertThat(db.sql("SELECT count(*) FROM audit_events WHERE action = 'KEY_ROTATED' AND actor_id = 'admin' AND subject_id = 'k2'")
                .map(r -> r.get(0, Long.class)).one().block()).isEqualTo(1);

        RekeyReport again = rotation.reencryptAll(Actor.user("admin")).block();
        assertThat(again.reencrypted().values()).containsOnly(0L);
    }
}
