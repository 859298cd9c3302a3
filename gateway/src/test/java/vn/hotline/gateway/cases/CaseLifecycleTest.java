package vn.hotline.gateway.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.gateway.security.StaffDirectory;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.Urgency;

@GatewayTest
@Import(MutableClock.Config.class)
class CaseLifecycleTest {

    @Autowired
    CaseService cases;
    @Autowired
    EscalationScheduler scheduler;
    @Autowired
    RosterService roster;
    @Autowired
    StaffDirectory staff;
    @Autowired
    DatabaseClient db;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    @BeforeEach
    void province() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
    }

    private long count(String sql) {
        return db.sql(sql).map(r -> r.get(0, Long.class)).one().block();
    }

    private long count(String sql, String reference) {
        return db.sql(sql).bind("ref", reference).map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void aCaseIsOpenedRoutedToTheOnCallOfficerOfItsAreaWithItsClocksRunning() {
        OpenedCase opened = cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).block();

        assertThat(opened.reference()).matches("BD-2026-\\d{6}");
        CaseSummary c = cases.list(staff.find("supervisor").block(), Optional.empty(), 500)
                .filter(s -> s.reference().equals(opened.reference())).blockFirst();
        assertThat(c.status()).isEqualTo(CaseStatus.ROUTED);
        assertThat(c.serviceArea()).contains("550");
        assertThat(c.formerDistrict()).contains("550");
        assertThat(c.assignedOfficerId()).contains(CaseFixtures.officerId(db, "o550"));
        assertThat(c.ackDeadline()).contains(clock.instant().plus(Duration.ofHours(4)));
        // Five working days from Thursday 12 Feb 2026 across Tết (off 14-22 Feb): due at the end of Thursday 26 Feb.
        assertThat(c.supportPlanDeadline().orElseThrow().toString()).isEqualTo("2026-02-26T17:00:00Z");
        assertThat(count("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.reference = :ref", opened.reference()))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM audit_events WHERE subject_id = :ref AND action IN ('CASE_OPENED', 'ROUTING_DECIDED')", opened.reference()))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM outbox WHERE destination = 'officer-notify' AND payload->>'reference' = :ref", opened.reference()))
                .isEqualTo(1);
        // Bullying with the school's consent: a co-referral to the school is pending.
        assertThat(count("SELECT count(*) FROM referrals r JOIN cases c ON c.id = r.case_id WHERE c.reference = :ref AND r.target = 'SCHOOL'", opened.reference()))
                .isEqualTo(1);
    }

    @Test
    void casesAreNumberedInTheBusinessYearWithoutDuplicates() {
        List<String> refs = Flux.range(0, 10)
                .flatMap(i -> cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).map(OpenedCase::reference), 4)
                .collectList().block();
        assertThat(refs).doesNotHaveDuplicates().allMatch(r -> r.startsWith("BD-2026-"));
        // 31 Dec 2025 23:30 in Vietnam is still 2025 there, though 2025-12-31T16:30Z.
        String lastOf2025 = cases.open(CaseFixtures.bullyingInTuyPhuoc(java.time.Instant.parse("2025-12-31T16:30:00Z")))
                .map(OpenedCase::reference).block();
        assertThat(lastOf2025).startsWith("BD-2025-");
    }

    @Test
    void nobodyAcknowledgesSoTheCaseClimbsTheLadderRungByRungToA111ReferralInTheOutbox() {
        String ref = cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).block().reference();

        clock.advance(Duration.ofHours(4).plusSeconds(1));
        assertThat(scheduler.runDue("node-a").block()).isGreaterThanOrEqualTo(1);
        assertStep(ref, 1, "b550");

        // Each rung has the same four hours to acknowledge.
        clock.advance(Duration.ofHours(3));
        scheduler.runDue("node-a").block();
        assertStep(ref, 1, "b550");
        clock.advance(Duration.ofHours(1));
        scheduler.runDue("node-a").block();
        assertStep(ref, 2, "sup1");

        clock.advance(Duration.ofHours(4));
        scheduler.runDue("node-a").block();
        CaseSummary c = find(ref);
        assertThat(c.escalationStep()).isEqualTo(3);
        assertThat(c.assignedOfficerId()).isEmpty();
        assertThat(count("SELECT count(*) FROM outbox WHERE destination = 'switchboard-111' AND payload->>'caseReference' = :ref", ref))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM referrals r JOIN cases c ON c.id = r.case_id WHERE c.reference = :ref AND r.target = 'SWITCHBOARD_111'", ref))
                .isEqualTo(1);

        clock.advance(Duration.ofDays(1));
        scheduler.runDue("node-a").block();
        assertThat(find(ref).escalationStep()).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.reference = :ref AND e.event_type = 'ESCALATED'", ref))
                .isEqualTo(3);
        assertThat(count("SELECT count(*) FROM audit_events WHERE subject_id = :ref AND action = 'CASE_ESCALATED'", ref)).isEqualTo(3);
    }

    @Test
    void withNobodyOnCallAMissedAcknowledgementStillEndsAt111WithTheDutySupervisorAlertedAndAHistoryEntry() {
        // A month after the roster fixture's week: nobody on any shift, so the ladder is 111 alone.
        clock.advance(Duration.ofDays(30));
        String ref = cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).block().reference();
        assertThat(find(ref).status()).isEqualTo(CaseStatus.ROUTED);

        clock.advance(Duration.ofHours(4).plusSeconds(1));
        assertThat(scheduler.runDue("node-a").block()).isPositive();

        CaseSummary c = find(ref);
        assertThat(c.status()).as("counted as escalated, kept on top").isEqualTo(CaseStatus.ESCALATED);
        assertThat(c.escalationStep()).isZero();
        assertThat(count("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.reference = :ref AND e.event_type = 'ESCALATED'", ref))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM referrals r JOIN cases c ON c.id = r.case_id WHERE c.reference = :ref AND r.target = 'SWITCHBOARD_111'", ref))
                .as("a human at the end of the ladder").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE destination = 'switchboard-111' AND payload->>'caseReference' = :ref", ref))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE destination = 'supervisor-notify' AND message_type = 'acknowledgement.missed' AND payload->>'reference' = :ref", ref))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM audit_events WHERE subject_id = :ref AND action = 'CASE_ESCALATED'", ref)).isEqualTo(1);

        clock.advance(Duration.ofDays(1));
        scheduler.runDue("node-a").block();
        assertThat(count("SELECT count(*) FROM referrals r JOIN cases c ON c.id = r.case_id WHERE c.reference = :ref AND r.target = 'SWITCHBOARD_111'", ref))
                .as("once").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.reference = :ref AND e.event_type = 'ESCALATED'", ref))
                .isEqualTo(1);
    }

    @Test
    void twoSchedulersRacingOnOneDatabaseEscalateEachCaseExactlyOnce() {
        List<String> refs = Flux.range(0, 20)
                .concatMap(i -> cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).map(OpenedCase::reference))
                .collectList().block();
        clock.advance(Duration.ofHours(4).plusSeconds(1));

        Integer handled = Mono.zip(
                        scheduler.runDue("node-a").subscribeOn(Schedulers.parallel()),
                        scheduler.runDue("node-b").subscribeOn(Schedulers.parallel()),
                        scheduler.runDue("node-c").subscribeOn(Schedulers.parallel()))
                .map(t -> t.getT1() + t.getT2() + t.getT3()).block();

        assertThat(handled).isGreaterThanOrEqualTo(20);
        for (String ref : refs) {
            assertThat(find(ref).escalationStep()).as(ref).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.reference = :ref AND e.event_type = 'ESCALATED'", ref))
                    .as(ref).isEqualTo(1);
        }
    }

    @Test
    void acknowledgingStopsTheEscalationClock() {
        String ref = cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).block().reference();
        cases.acknowledge(ref, staff.find("officer.550").block()).block();

        clock.advance(Duration.ofHours(5));
        scheduler.runDue("node-a").block();
        CaseSummary c = find(ref);
        assertThat(c.status()).isEqualTo(CaseStatus.ACKNOWLEDGED);
        assertThat(c.escalationStep()).isZero();
    }

    @Test
    void aMissedStatutoryDeadlineIsRecordedAndTheSupervisorAlerted() {
        var intake = new CaseIntake(CaseFixtures.triage(Urgency.HIGH, Category.ONLINE_SEXUAL_ABUSE, new LocationHint.FormerDistrict("540")),
                clock.instant(), Optional.empty());
        String ref = cases.open(intake).block().reference();
        cases.acknowledge(ref, staff.find("officer.540").block()).block();

        clock.advance(Duration.ofHours(12).plusSeconds(1));
        scheduler.runDue("node-a").block();

        assertThat(count("SELECT count(*) FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.reference = :ref AND e.event_type = 'STATUTORY_DEADLINE_MISSED'", ref))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox WHERE destination = 'supervisor-notify' AND payload->>'reference' = :ref", ref))
                .isEqualTo(1);
    }

    @Test
    void transitionsAreValidatedAndClosingNeedsAReason() {
        String ref = cases.open(CaseFixtures.bullyingInTuyPhuoc(clock.instant())).block().reference();
        var officer = staff.find("officer.550").block();

        StepVerifier.create(cases.transition(ref, CaseStatus.PLANNED, Optional.empty(), officer))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CaseProblem.class).hasMessageContaining("cannot move to PLANNED"))
                .verify();
        StepVerifier.create(cases.transition(ref, CaseStatus.CLOSED, Optional.of(" "), officer))
                .expectErrorSatisfies(e -> assertThat(((CaseProblem) e).code()).isEqualTo("reason-required"))
                .verify();
        StepVerifier.create(cases.acknowledge(ref, officer)
                        .then(cases.transition(ref, CaseStatus.ASSESSED, Optional.empty(), officer))
                        .then(cases.transition(ref, CaseStatus.PLANNED, Optional.empty(), officer))
                        .then(cases.transition(ref, CaseStatus.CLOSED, Optional.of("Đã hỗ trợ xong"), officer)))
                .verifyComplete();
        assertThat(find(ref).status()).isEqualTo(CaseStatus.CLOSED);
        assertThat(count("SELECT count(*) FROM case_deadlines d JOIN cases c ON c.id = d.case_id WHERE c.reference = :ref AND d.state = 'PENDING'", ref))
                .isZero();
        assertThat(count("SELECT count(*) FROM audit_events WHERE subject_id = :ref AND action = 'CASE_TRANSITIONED'", ref)).isEqualTo(4);
    }

    private CaseSummary find(String ref) {
        return cases.list(staff.find("supervisor").block(), Optional.empty(), 500)
                .filter(s -> s.reference().equals(ref)).blockFirst();
    }

    private void assertStep(String ref, int step, String rosterId) {
        CaseSummary c = find(ref);
        assertThat(c.status()).isEqualTo(CaseStatus.ESCALATED);
        assertThat(c.escalationStep()).isEqualTo(step);
        assertThat(c.assignedOfficerId()).contains(CaseFixtures.officerId(db, rosterId));
    }
}
