package vn.hotline.gateway.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.privacy.CallerId;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.ProtectedNumber;

/**
 * Fictional officers (one per service area, a backup in the Binh Dinh areas), a provincial emergency rota, duty
 * supervisors and one user per role, so a newcomer can exercise everything. Loaded once, in one transaction, by the
 * {@code demo} profile only. Phone numbers come from Ofcom's range reserved for drama (+44 7700 900xxx), which
 * reaches nobody.
 */
@Component
@Profile("demo")
class DemoRoster implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoRoster.class);
    private static final String DEMO_PHONE_PREFIX = "+447700900";
    private static final LocalTime DAY_START = LocalTime.of(7, 0);
    private static final LocalTime NIGHT_START = LocalTime.of(19, 0);
    private static final int EMERGENCY_OFFICERS = 4;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final PersonalData personalData;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final ZoneId zone;
    private final DemoProperties properties;
    private int phoneCounter;

    DemoRoster(DatabaseClient db, TransactionalOperator tx, PersonalData personalData, PasswordEncoder passwords,
               AuditLog audit, Clock clock, ZoneId businessZone, DemoProperties properties) {
        this.db = db;
        this.tx = tx;
        this.personalData = personalData;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.zone = businessZone;
        this.properties = properties;
    }

    private record Area(String code, String name, String province) {
    }

    private record Login(String username, String role, String password) {
    }

    @Override
    public void run(ApplicationArguments args) {
        Boolean loaded = db.sql("SELECT EXISTS (SELECT 1 FROM users)").map(row -> row.get(0, Boolean.class)).one().block();
        if (Boolean.TRUE.equals(loaded)) {
            log.info("Demo roster already present; demo logins are in {}", properties.credentialsFile().toAbsolutePath());
            return;
        }
        List<Login> logins = tx.transactional(load()).block();
        writeCredentials(logins);
        log.info("Demo roster loaded. Logins: {} (passwords in {})",
                logins.stream().map(l -> l.username() + " [" + l.role() + "]").toList(),
                properties.credentialsFile().toAbsolutePath());
    }

    private Mono<List<Login>> load() {
        LocalDate today = LocalDate.now(clock.withZone(zone));
        return db.sql("SELECT code, name, former_province_code FROM service_areas WHERE active ORDER BY code")
                .map(row -> new Area(row.get("code", String.class), row.get("name", String.class), row.get("former_province_code", String.class)))
                .all().collectList()
                .flatMap(areas -> {
                    List<Login> logins = new ArrayList<>();
                    List<Mono<Void>> steps = new ArrayList<>();
                    for (Area area : areas) {
                        UUID primary = UUID.randomUUID();
                        steps.add(officer(primary, area.code() + "-1", "Cán bộ " + area.name(), List.of("ONLINE_SEXUAL_ABUSE", "CHILD_PROTECTION")));
                        steps.add(cover(primary, area.code(), "PRIMARY"));
                        // Binh Dinh areas get a backup who takes the nights; Gia Lai areas run without one, so the
                        // demo shows both ladders.
                        UUID backup = "52".equals(area.province()) ? UUID.randomUUID() : null;
                        if (backup != null) {
                            steps.add(officer(backup, area.code() + "-2", "Cán bộ dự phòng " + area.name(), List.of("COUNSELLING", "CYBERBULLYING")));
                            steps.add(cover(backup, area.code(), "BACKUP"));
                        }
                        for (int d = 0; d < properties.rotaDays(); d++) {
                            LocalDate day = today.plusDays(d);
                            if (backup == null) {
                                steps.add(shift(primary, "ON_CALL", area.code(), day, DAY_START, day.plusDays(1), DAY_START));
                            } else {
                                steps.add(shift(primary, "ON_CALL", area.code(), day, DAY_START, day, NIGHT_START));
                                steps.add(shift(backup, "BACKUP", area.code(), day, DAY_START, day, NIGHT_START));
                                steps.add(shift(backup, "ON_CALL", area.code(), day, NIGHT_START, day.plusDays(1), DAY_START));
                                steps.add(shift(primary, "BACKUP", area.code(), day, NIGHT_START, day.plusDays(1), DAY_START));
                            }
                        }
                        if ("540".equals(area.code())) {
                            logins.add(user("officer.quynhon", "OFFICER", primary, "Cán bộ Quy Nhơn", steps));
                        }
                    }
                    List<UUID> emergency = new ArrayList<>();
                    for (int i = 1; i <= EMERGENCY_OFFICERS; i++) {
                        UUID id = UUID.randomUUID();
                        emergency.add(id);
                        steps.add(officer(id, "khan-cap-" + i, "Cán bộ trực khẩn cấp " + i, List.of("ONLINE_SEXUAL_ABUSE", "CHILD_PROTECTION", "COUNSELLING")));
                    }
                    UUID supervisorA = UUID.randomUUID();
                    UUID supervisorB = UUID.randomUUID();
                    steps.add(officer(supervisorA, "giam-sat-a", "Giám sát trực ban A", List.of("CHILD_PROTECTION")));
                    steps.add(officer(supervisorB, "giam-sat-b", "Giám sát trực ban B", List.of("CHILD_PROTECTION")));
                    for (int d = 0; d < properties.rotaDays(); d++) {
                        LocalDate day = today.plusDays(d);
                        steps.add(shift(emergency.get((2 * d) % EMERGENCY_OFFICERS), "EMERGENCY", null, day, DAY_START, day, NIGHT_START));
                        steps.add(shift(emergency.get((2 * d + 1) % EMERGENCY_OFFICERS), "EMERGENCY", null, day, NIGHT_START, day.plusDays(1), DAY_START));
                        steps.add(shift(d % 2 == 0 ? supervisorA : supervisorB, "DUTY_SUPERVISOR", null, day, DAY_START, day.plusDays(1), DAY_START));
                    }
                    logins.add(user("supervisor", "SUPERVISOR", supervisorA, "Giám sát trực ban A", steps));
                    logins.add(user("admin", "ADMIN", null, "Quản trị hệ thống", steps));
                    steps.add(audit.record(new AuditEntry(Actor.system("demo"), AuditAction.DEMO_DATA_LOADED,
                            new Subject("roster", "demo"), Map.of("areas", areas.size(), "days", properties.rotaDays()))));
                    return Flux.concat(steps).then(Mono.just(logins));
                });
    }

    private Mono<Void> officer(UUID id, String rosterId, String name, List<String> skills) {
        String phone = DEMO_PHONE_PREFIX + String.format("%03d", phoneCounter++);
        ProtectedNumber number = personalData.protect((CallerId.Number) personalData.identify(phone), DataField.OFFICER_PHONE);
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        return db.sql("""
                        INSERT INTO officers (id, roster_id, display_name, phone_hash, phone_cipher, phone_key_id, phone_masked, languages, skills, created_at, updated_at)
                        VALUES (:id, :rosterId, :name, :hash, :cipher, :keyId, :masked, :languages, :skills, :now, :now)""")
                .bind("id", id).bind("rosterId", rosterId).bind("name", name)
                .bind("hash", number.lookupHash()).bind("cipher", number.ciphertext())
                .bind("keyId", number.keyId()).bind("masked", number.masked())
                .bind("languages", new String[] {"vi", "en"}).bind("skills", skills.toArray(String[]::new))
                .bind("now", now)
                .then();
    }

    private Mono<Void> cover(UUID officer, String area, String role) {
        return db.sql("INSERT INTO officer_service_areas (officer_id, service_area_code, role) VALUES (:o, :a, :r)")
                .bind("o", officer).bind("a", area).bind("r", role).then();
    }

    private Mono<Void> shift(UUID officer, String duty, String area, LocalDate fromDay, LocalTime from, LocalDate toDay, LocalTime to) {
        var spec = db.sql("""
                        INSERT INTO rota_shifts (officer_id, duty, service_area_code, starts_at, ends_at)
                        VALUES (:o, :duty, :area, :from, :to)""")
                .bind("o", officer).bind("duty", duty)
                .bind("from", fromDay.atTime(from).atZone(zone).toOffsetDateTime())
                .bind("to", toDay.atTime(to).atZone(zone).toOffsetDateTime());
        return (area == null ? spec.bindNull("area", String.class) : spec.bind("area", area)).then();
    }

    private Login user(String username, String role, UUID officer, String displayName, List<Mono<Void>> steps) {
        String password = randomPassword();
        var spec = db.sql("""
                        INSERT INTO users (id, username, password_hash, role, officer_id, display_name, created_at)
                        VALUES (:id, :username, :hash, :role, :officer, :name, :now)""")
                .bind("id", UUID.randomUUID()).bind("username", username)
                .bind("hash", passwords.encode(password)).bind("role", role)
                .bind("name", displayName).bind("now", clock.instant().atOffset(ZoneOffset.UTC));
        steps.add((officer == null ? spec.bindNull("officer", UUID.class) : spec.bind("officer", officer)).then());
        return new Login(username, role, password);
    }

    private void writeCredentials(List<Login> logins) {
        StringBuilder text = new StringBuilder("# Demo logins (fictional staff): username, role, password. Keep this file private.\n");
        logins.forEach(l -> text.append(l.username()).append(' ').append(l.role()).append(' ').append(l.password()).append('\n'));
        try {
            var file = properties.credentialsFile().toAbsolutePath();
            Files.createDirectories(file.getParent());
            var tmp = Files.createTempFile(file.getParent(), "demo-users", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write demo credentials", e);
        }
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
