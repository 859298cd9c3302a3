package vn.hotline.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;

@GatewayTest
@ActiveProfiles({"test", "demo"})
@TestPropertySource(properties = "hotline.demo.credentials-file=${java.io.tmpdir}/hotline-demo-test/demo-users.txt")
@ExtendWith(OutputCaptureExtension.class)
class DemoRosterTest {

    @Autowired
    DatabaseClient db;
    @Autowired
    WebTestClient web;
    @Autowired
    DemoProperties properties;

    private long count(String sql) {
        return db.sql(sql).map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void everyServiceAreaHasAnOfficerAndTheProvinceHasAnEmergencyRota() {
        assertThat(count("SELECT count(DISTINCT service_area_code) FROM officer_service_areas WHERE role = 'PRIMARY'")).isEqualTo(28);
        assertThat(count("SELECT count(*) FROM officer_service_areas WHERE role = 'BACKUP'")).isEqualTo(11);
        assertThat(count("SELECT count(*) FROM rota_shifts WHERE duty = 'EMERGENCY'")).isEqualTo(2L * properties.rotaDays());
        assertThat(count("SELECT count(*) FROM rota_shifts WHERE duty = 'DUTY_SUPERVISOR'")).isEqualTo(properties.rotaDays());
        assertThat(count("SELECT count(*) FROM users")).isEqualTo(3);
    }

    @Test
    void demoPasswordsGoToAPrivateFileNeverToTheLog(CapturedOutput output) throws Exception {
        Path file = properties.credentialsFile();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).toList();
        assertThat(lines).hasSize(3);
        String[] officer = lines.stream().filter(l -> l.startsWith("officer.quynhon ")).findFirst().orElseThrow().split(" ");
        for (String line : lines) {
            assertThat(output.getAll()).doesNotContain(line.split(" ")[2]);
        }
        web.get().uri("/api/me").headers(h -> h.setBasicAuth(officer[0], officer[2])).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.serviceAreas[0]").isEqualTo("540");
    }

    @Test
    void demoPhonesComeFromTheReservedDramaRangeAndAreStoredProtected() {
        assertThat(count("SELECT count(*) FROM officers WHERE phone_masked NOT LIKE '+44 07x xxx x%'")).isZero();
    }
}
