package vn.hotline.gateway.channel.asterisk.pbx;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.EscalationScheduler;
import vn.hotline.gateway.channel.asterisk.pbx.Sipp.Key;
import vn.hotline.gateway.channel.asterisk.pbx.Sipp.Phone;
import vn.hotline.gateway.routing.RosterService;

/**
 * The danger-now call on a real Asterisk 22 (issue 16): the shipped {@code ops/asterisk/extensions.conf} and
 * {@code manager.conf} (globals, AMI port and secret aside), {@code systemname} set as on a multi-server site, AMI
 * on, SIPp callers pressing keys and SIPp phones on the ladder. Checked through PostgreSQL as the console and the API
 * read it. The officers' numbers are those of {@link CaseFixtures}: em1 (the emergency officer, first rung) and sup1
 * (the duty supervisor, second rung and the duty phone again), then 111.
 */
@GatewayTest
@Import(MutableClock.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class RealPbxLadderTest {

    static final String EM1 = "+84912000111";
    static final String SUP1 = "+84912000999";
    static final String NATIONAL_111 = "111";
    static final String CALLER = "+84905123456";
    static final int AGI_PORT = RealPbx.freeTcpPort();
    /** The ring time of each rung, screening included (short, so that a test of a whole ladder stays short). */
    static final int RING_SECONDS = 8;

    static RealPbx pbx;

    @BeforeAll
    static void startPbx() throws Exception {
        pbx = RealPbx.start(AGI_PORT, "pbx1", List.of(EM1, SUP1, NATIONAL_111, "duty"));
    }

    @AfterAll
    static void stopPbx() throws Exception {
        if (pbx != null) {
            pbx.close();
        }
    }

    @DynamicPropertySource
    static void hotline(DynamicPropertyRegistry registry) {
        RealPbx.hotline(registry, AGI_PORT, () -> pbx);
        registry.add("hotline.asterisk.ring-timeout", () -> RING_SECONDS + "s");
    }

    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;
    @Autowired
    EscalationScheduler escalation;

    private Set<UUID> before;
    private final List<Sipp.Agent> agents = new ArrayList<>();

    @BeforeEach
    void province() {
        CaseFixtures.ensureProvince(roster, db, passwords);
        before = Set.copyOf(db.sql("SELECT id FROM calls").map(r -> r.get(0, UUID.class)).all().collectList().block());
    }

    @AfterEach
    void stopAgents() throws Exception {
        for (Sipp.Agent agent : agents) {
            agent.close();
        }
    }

    private Sipp.Agent phone(String number, Phone behaviour, int calls) throws Exception {
        return phone(number, behaviour, calls, 0);
    }

    private Sipp.Agent phone(String number, Phone behaviour, int calls, int hangUpAfterMs) throws Exception {
        Sipp.Agent agent = Sipp.phone(pbx, number, behaviour, calls, hangUpAfterMs);
        agents.add(agent);
        return agent;
    }

    /** A child who presses 1 a second into the greeting, then stays on the line until the PBX hangs up. */
    private Sipp.Agent dangerNowCaller(int hangUpAfterMs) throws Exception {
        Sipp.Agent agent = Sipp.caller(pbx, CALLER, "2563111111", List.of(new Key(1000, '1')), hangUpAfterMs);
        agents.add(agent);
        return agent;
    }

    private static void ended(Sipp.Agent agent) throws Exception {
        int exit = agent.await(Duration.ofSeconds(120));
        assertThat(exit).as("SIPp exit code; its errors: %s", agent.errors()).isZero();
    }

    /** The calls this test placed, as the call log stores them. */
    private List<Map<String, Object>> calls() {
        return db.sql("""
                        SELECT c.id, c.provider_call_id, c.outcome, c.ami_state, c.talk_ms, c.hangup_reported_at IS NOT NULL AS hangup_reported,
                               k.status AS case_status,
                               (SELECT o.roster_id FROM officers o WHERE o.id = c.accepted_by_officer_id) AS accepted_by,
                               (SELECT string_agg(a.step || ':' || coalesce(a.dial_status, '-') || ':'
                                                  || coalesce(a.accepted::text, '-'), ' ' ORDER BY a.step)
                                FROM call_dial_attempts a WHERE a.call_id = c.id) AS rungs,
                               (SELECT string_agg(d.state, ' ') FROM case_deadlines d
                                WHERE d.case_id = k.id AND d.kind = 'ACKNOWLEDGEMENT') AS ack,
                               (SELECT string_agg(e.actor, ' ') FROM case_events e
                                WHERE e.case_id = k.id AND e.to_status = 'ACKNOWLEDGED') AS acknowledged_by,
                               (SELECT count(*) FROM referrals r WHERE r.case_id = k.id AND r.target = 'SWITCHBOARD_111') AS to111,
                               (SELECT count(*) FROM audit_events e WHERE e.subject_id = c.id::text
                                  AND e.action = 'TRANSFER_ATTEMPTED') AS attempts_audited,
                               (SELECT count(*) FROM audit_events e WHERE e.subject_id = c.id::text
                                  AND e.action = 'CALL_ENDED') AS ends_audited,
                               (SELECT (c.ended_at = e.event_at) FROM ami_events e WHERE e.call_id = c.id
                                  AND e.event = 'Hangup' AND e.uniqueid = split_part(c.provider_call_id, '/', 2)) AS ended_at_hangup,
                               (SELECT extract(epoch FROM b.ami_began_at - a.ami_began_at) FROM call_dial_attempts a
                                  JOIN call_dial_attempts b ON b.call_id = a.call_id AND b.step = a.step + 1
                                  WHERE a.call_id = c.id AND a.step = 2) AS second_rung_seconds
                        FROM calls c LEFT JOIN cases k ON k.call_id = c.id
                        WHERE c.provider = 'asterisk' ORDER BY c.started_at, c.id""")
                .fetch().all().filter(row -> !before.contains((UUID) row.get("id"))).collectList().block();
    }

    /** Waits until the stored calls satisfy {@code settled}: the hang-up and AMI's events arrive after the SIP BYE. */
    private List<Map<String, Object>> callsWhen(Predicate<List<Map<String, Object>>> settled) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Map<String, Object>> calls = calls();
        while (!settled.test(calls) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            calls = calls();
        }
        return calls;
    }

    private static Predicate<List<Map<String, Object>>> allSettled(int count) {
        return calls -> calls.size() == count && calls.stream().allMatch(c -> Boolean.TRUE.equals(c.get("hangup_reported"))
                && "COMPLETE".equals(c.get("ami_state")));
    }

    private Map<String, Object> theCall() throws Exception {
        List<Map<String, Object>> calls = callsWhen(allSettled(1));
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    @Test
    void anOfficerWhoPressesOneTalksToTheChildAndHoldsTheCaseAcknowledgedWithTheTalkTimeFromAmi(CapturedOutput log)
            throws Exception {
        phone(EM1, Phone.ACCEPT_THEN_HANG_UP, 1, 3000);
        Sipp.Agent child = dangerNowCaller(60000);

        ended(child);
        Map<String, Object> call = theCall();

        assertThat(call).containsEntry("outcome", "CONNECTED").containsEntry("accepted_by", "em1")
                .containsEntry("case_status", "ACKNOWLEDGED").containsEntry("acknowledged_by", "officer:em1")
                .containsEntry("ack", "MET").containsEntry("attempts_audited", 1L).containsEntry("ends_audited", 1L)
                .containsEntry("rungs", "1:ANSWER:true 2:-:- 3:-:- 4:-:-");
        assertThat((String) call.get("provider_call_id")).as("a uniqueid with the system name, kept whole")
                .startsWith("pbx1/pbx1-");
        assertThat((Long) call.get("talk_ms")).as("talk time from the bridge (AMI)").isBetween(2000L, 6000L);
        assertThat(call).as("the call ended when the caller's channel hung up").containsEntry("ended_at_hangup", true);
        assertThat(log.getAll()).as("Asterisk-Java's bridge tracking sees every bridge created")
                .doesNotContain("Cant find bridge");
    }

    @Test
    void aChildWhoHangsUpWhileTheFirstRungRingsIsAnUrgentCallBack() throws Exception {
        phone(EM1, Phone.RING, 1);
        Sipp.Agent child = dangerNowCaller(2500);

        ended(child);
        Map<String, Object> call = theCall();

        assertThat(call).containsEntry("outcome", "CALLBACK_URGENT").containsEntry("ends_audited", 1L)
                .containsEntry("rungs", "1:CANCEL:false 2:-:- 3:-:- 4:-:-").containsEntry("case_status", "ROUTED");
    }

    @Test
    void refusingRungsCostTheirRingTimeAtMostAnd111TakesTheCaseOnceWithNoEscalationAfter() throws Exception {
        phone(EM1, Phone.BUSY, 1);
        phone(SUP1, Phone.SILENT, 1);
        phone(NATIONAL_111, Phone.ACCEPT_THEN_HANG_UP, 1, 2000);
        Sipp.Agent child = dangerNowCaller(90000);

        ended(child);
        Map<String, Object> call = theCall();

        assertThat(call).containsEntry("outcome", "CONNECTED").containsEntry("to111", 1L).containsEntry("ack", "HANDED_OFF");
        assertThat((String) call.get("rungs")).startsWith("1:BUSY:false 2:").contains(":false 3:ANSWER:true 4:-:-");
        assertThat(((Number) call.get("second_rung_seconds")).doubleValue())
                .as("a silent phone holds the child at most its rung's ring time").isLessThan(RING_SECONDS + 1.0);

        clock.advance(Duration.ofMinutes(15));
        escalation.runDue("test").block();
        clock.advance(Duration.ofMinutes(15));
        escalation.runDue("test").block();
        assertThat(calls().get(0)).containsEntry("to111", 1L);
    }

    @Test
    void anExhaustedLadderTellsTheChildWhatHappensNextBeforeItEnds() throws Exception {
        phone(EM1, Phone.BUSY, 1);
        phone(SUP1, Phone.BUSY, 2);
        phone(NATIONAL_111, Phone.BUSY, 1);
        Sipp.Agent child = dangerNowCaller(90000);

        ended(child);
        Map<String, Object> call = theCall();

        assertThat(call).containsEntry("outcome", "CALLBACK_URGENT")
                .containsEntry("rungs", "1:BUSY:false 2:BUSY:false 3:BUSY:false 4:BUSY:false");
        assertThat(pbx.log()).contains("hotline/vi/ladder-exhausted");
    }

    @Test
    void whateverTheCarrierPutsInTheRequestUriReachesTheMenu() throws Exception {
        for (String dialled : List.of("+842563111111", "", "hotline", "a", "ladder")) {
            Sipp.Agent caller = Sipp.caller(pbx, CALLER, dialled, List.of(), 1500);
            agents.add(caller);
            ended(caller);
        }

        List<Map<String, Object>> calls = callsWhen(allSettled(5));
        assertThat(calls).hasSize(5).allSatisfy(c -> assertThat(c).containsEntry("outcome", "ABANDONED")
                .containsEntry("hangup_reported", true));
    }

    @Test
    void twentyDangerNowCallsAtOnceAreEachAcceptedAndRecordedOnceWithoutADeadlock() throws Exception {
        long deadlocks = deadlocks();
        phone(EM1, Phone.ACCEPT_THEN_HANG_UP, 20, 2000);
        Sipp.Agent children = Sipp.callers(pbx, CALLER, "2563111111", List.of(new Key(1000, '1')), 60000, 20, 20, 20);
        agents.add(children);

        ended(children);
        List<Map<String, Object>> calls = callsWhen(allSettled(20));

        assertThat(calls).hasSize(20).allSatisfy(c -> assertThat(c).containsEntry("outcome", "CONNECTED")
                .containsEntry("accepted_by", "em1").containsEntry("case_status", "ACKNOWLEDGED")
                .containsEntry("acknowledged_by", "officer:em1").containsEntry("attempts_audited", 1L)
                .containsEntry("ends_audited", 1L).containsEntry("rungs", "1:ANSWER:true 2:-:- 3:-:- 4:-:-"));
        assertThat(deadlocks()).as("deadlocks detected by PostgreSQL").isEqualTo(deadlocks);
    }

    private long deadlocks() {
        return db.sql("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
                .map(r -> r.get(0, Long.class)).one().block();
    }
}
