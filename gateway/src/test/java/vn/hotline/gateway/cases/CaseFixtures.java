package vn.hotline.gateway.cases;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Consents;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.ivr.triage.Urgency;

/** A small province for case tests: Tuy Phước (550) with an on-call officer and a backup, Quy Nhơn (540), the
 * provincial emergency officer and the duty supervisor, all on shift on Thursday 12 February 2026. Phone numbers are
 * planted fakes used only in tests. */
public final class CaseFixtures {

    static final String PASSWORD = "test-password";

    public static final String OFFICERS = """
            officer_id,name,service_areas,skills,phone_ref,languages
            o550,Cán bộ Tuy Phước,550,CYBERBULLYING;COUNSELLING,+84 912 000 550,vi;en
            b550,Cán bộ dự phòng Tuy Phước,550,COUNSELLING,+84 912 000 551,vi
            o540,Cán bộ Quy Nhơn,540,ONLINE_SEXUAL_ABUSE,+84 912 000 540,vi
            em1,Cán bộ trực khẩn cấp,,ONLINE_SEXUAL_ABUSE;CHILD_PROTECTION,+84 912 000 111,vi
            sup1,Giám sát trực ban,,CHILD_PROTECTION,+84 912 000 999,vi
            """;

    public static final String SHIFTS = """
            officer_id,role,service_area,start,end
            o550,ON_CALL,550,2026-02-12T00:00,2026-02-13T00:00
            b550,BACKUP,550,2026-02-12T00:00,2026-02-13T00:00
            o540,ON_CALL,540,2026-02-12T00:00,2026-02-13T00:00
            em1,EMERGENCY,,2026-02-12T00:00,2026-02-13T00:00
            sup1,DUTY_SUPERVISOR,,2026-02-12T00:00,2026-02-13T00:00
            """;

    private CaseFixtures() {
    }

    /** Imports the province and its users once per test database. */
    public static void ensureProvince(RosterService roster, DatabaseClient db, PasswordEncoder passwords) {
        if (db.sql("SELECT count(*) FROM officers").map(r -> r.get(0, Long.class)).one().block() > 0) {
            return;
        }
        roster.importCsv(OFFICERS, SHIFTS, "test").block();
        user(db, passwords, "officer.550", "OFFICER", "o550");
        user(db, passwords, "backup.550", "OFFICER", "b550");
        user(db, passwords, "officer.540", "OFFICER", "o540");
        user(db, passwords, "supervisor", "SUPERVISOR", "sup1");
        user(db, passwords, "admin", "ADMIN", null);
    }

    /** A client logged in as one of the fixture users. */
    public static WebTestClient as(WebTestClient web, String username) {
        return web.mutate().defaultHeaders(h -> h.setBasicAuth(username, PASSWORD)).build();
    }

    public static UUID officerId(DatabaseClient db, String rosterId) {
        return db.sql("SELECT id FROM officers WHERE roster_id = :r").bind("r", rosterId).map(r -> r.get(0, UUID.class)).one().block();
    }

    private static void user(DatabaseClient db, PasswordEncoder passwords, String username, String role, String rosterId) {
        var spec = db.sql("""
                        INSERT INTO users (id, username, password_hash, role, officer_id, display_name, created_at)
                        VALUES (:id, :username, :hash, :role, (SELECT id FROM officers WHERE roster_id = :rosterId), :username, :now)""")
                .bind("id", UUID.randomUUID()).bind("username", username).bind("hash", passwords.encode(PASSWORD))
                .bind("role", role).bind("now", Instant.parse("2026-01-01T00:00:00Z").atOffset(ZoneOffset.UTC));
        (rosterId == null ? spec.bindNull("rosterId", String.class) : spec.bind("rosterId", rosterId)).then().block();
    }

    public static TriageResult triage(Urgency urgency, Category category, LocationHint where) {
        return new TriageResult(Channel.ASTERISK_VOICE, Language.VI, urgency, category, ReporterRole.CHILD, AgeBand.AGE_11_15,
                where, new Consents(true, false, true), Optional.empty(), List.of("greeting", "who", "district"));
    }

    public static CaseIntake bullyingInTuyPhuoc(Instant receivedAt) {
        return new CaseIntake(triage(Urgency.NORMAL, Category.CYBERBULLYING, new LocationHint.FormerDistrict("550")),
                receivedAt, Optional.empty());
    }
}
