package vn.hotline.gateway.privacy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.privacy.PrivacyProperties;

/** The key file must be the one the database was written with (issue 17: keys can silently split the data). */
@GatewayTest
@ExtendWith(OutputCaptureExtension.class)
class KeyCheckTest {

    @Autowired
    DatabaseClient db;
    @Autowired
    PrivacyProperties properties;

    @TempDir
    Path dir;

    private KeyCheck check(Path keysFile) {
        PrivacyProperties other = new PrivacyProperties(keysFile, true, properties.defaultRegion());
        return new KeyCheck(new KeyRing(other), db, other, Clock.systemUTC());
    }

    @Test
    void theRunningKeysCheckValuesAreStoredAndTheSameFileStartsAgain() {
        assertThat(db.sql("SELECT string_agg(key_name, ' ' ORDER BY key_name) FROM key_checks")
                .map(r -> r.get(0, String.class)).one().block()).isEqualTo("audit.a1 encryption.k1 lookup.l1");

        check(properties.keysFile()).afterSingletonsInstantiated();
    }

    @Test
    void anotherKeyFileWithTheSameKeyIdsIsRefusedWithOneClearLine() throws Exception {
        Path other = dir.resolve("other.keys");
        new KeyRing(new PrivacyProperties(other, true, "VN"));
        KeyCheck wrong = new KeyCheck(new KeyRing(new PrivacyProperties(other, false, "VN")), db,
                new PrivacyProperties(other, false, "VN"), Clock.systemUTC());

        assertThatThrownBy(wrong::afterSingletonsInstantiated).isInstanceOf(KeyCheck.WrongKeys.class)
                .hasMessageContaining("is not the key this database was written with").hasMessageNotContaining("\n");
    }

    @Test
    void aKeyFileGeneratedOverADatabaseThatHoldsDataIsRefusedAndRemoved() {
        db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, started_at)
                        VALUES (:id, 'ASTERISK_VOICE', 'asterisk', :key, 'UNKNOWN', now())""")
                .bind("id", UUID.randomUUID()).bind("key", "test/" + UUID.randomUUID()).then().block();
        Path missing = dir.resolve("missing.keys");

        assertThatThrownBy(() -> check(missing).afterSingletonsInstantiated()).isInstanceOf(KeyCheck.WrongKeys.class)
                .hasMessageContaining("was missing and a new one was generated");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aKeyFileOthersCanReadIsNamedInAWarning(CapturedOutput output) throws Exception {
        Path open = dir.resolve("open.keys");
        Files.copy(properties.keysFile(), open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));

        check(open).afterSingletonsInstantiated();

        assertThat(output.getAll()).contains("can be read by others (rw-r--r--): chmod 600 it");
    }
}
