package vn.hotline.gateway.privacy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.cases.CaseEvent;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseReferral;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.internal.CaseRepository;
import vn.hotline.gateway.routing.RosterService;

/**
 * Migration V16's data half: reasons stored in clear by an earlier version are sealed at start-up, read back the
 * same, and a second run finds nothing left to do.
 */
@GatewayTest
class ClearReasonsTest {

    private static final String CLOSED_BECAUSE = "Đã gọi lại mẹ em ở số +84900111999";
    private static final String REFERRED_BECAUSE = "Cô giáo chủ nhiệm lớp 7A";

    @Autowired
    ClearReasons clearReasons;
    @Autowired
    CaseService cases;
    @Autowired
    CaseRepository repository;
    @Autowired
    RosterService roster;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;

    @Test
    void reasonsWrittenInClearBeforeV16AreSealedAtStartAndReadBackUnchanged() {
        CaseFixtures.ensureProvince(roster, db, passwords);
        String reference = cases.open(CaseFixtures.bullyingInTuyPhuoc(Instant.now())).block().reference();
        UUID caseId = db.sql("SELECT id FROM cases WHERE reference = :ref").bind("ref", reference)
                .map(r -> r.get(0, UUID.class)).one().block();
        var now = Instant.now().atOffset(ZoneOffset.UTC);
        // As the version before V16 wrote them.
        db.sql("""
                        INSERT INTO case_events (case_id, occurred_at, actor, event_type, from_status, to_status, reason)
                        VALUES (:case, :now, 'supervisor', 'TRANSITION', 'ROUTED', 'CLOSED', :reason)""")
                .bind("case", caseId).bind("now", now).bind("reason", CLOSED_BECAUSE).then()
                .then(db.sql("""
                                INSERT INTO referrals (id, case_id, target, state, idempotency_key, reason, created_by, created_at, updated_at)
                                VALUES (:id, :case, 'SCHOOL', 'PENDING', :key, :reason, 'supervisor', :now, :now)""")
                        .bind("id", UUID.randomUUID()).bind("case", caseId).bind("key", "old-" + caseId)
                        .bind("reason", REFERRED_BECAUSE).bind("now", now).then())
                .block();
        assertThat(clearCount()).isEqualTo(2);

        clearReasons.afterSingletonsInstantiated();

        assertThat(clearCount()).isZero();
        for (String table : List.of("case_events", "referrals")) {
            String stored = db.sql("SELECT string_agg(row_to_json(t)::text, '') FROM " + table + " t")
                    .map(r -> r.get(0, String.class)).one().block();
            assertThat(stored).as(table).doesNotContain("84900111999", "chủ nhiệm");
        }
        assertThat(repository.events(caseId).map(CaseEvent::reason).filter(Optional::isPresent).map(Optional::get)
                .collectList().block()).contains(CLOSED_BECAUSE);
        assertThat(repository.referralsOf(caseId).map(CaseReferral::reason).filter(Optional::isPresent).map(Optional::get)
                .collectList().block()).contains(REFERRED_BECAUSE);

        clearReasons.afterSingletonsInstantiated();
        assertThat(clearCount()).isZero();
    }

    private long clearCount() {
        return List.of("case_events", "referrals").stream()
                .mapToLong(table -> db.sql("SELECT count(*) FROM " + table + " WHERE reason IS NOT NULL")
                        .map(r -> r.get(0, Long.class)).one().block())
                .sum();
    }
}
