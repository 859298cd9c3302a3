package vn.hotline.gateway.channel.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.EscalationScheduler;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;
import vn.hotline.gateway.routing.RosterService;

/**
 * The danger-now ladder after the menu, as the shipped dialplan reports it (issue 16): the accept script on the
 * called person's channel, the dial-result after each rung, the hangup handler wherever the call ends. Asterisk is
 * played by the simulator; the real PBX runs the same paths in {@code pbx.RealPbxLadderTest}.
 */
@GatewayTest
@Import(MutableClock.Config.class)
class AsteriskLadderTest {

    static final int PORT = AsteriskTestSupport.freePort();

    @DynamicPropertySource
    static void asterisk(DynamicPropertyRegistry registry) {
        AsteriskTestSupport.properties(registry, PORT);
        registry.add("hotline.switchboard.voice.asterisk-dial", () -> "PJSIP/111@national-trunk");
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
    TransactionalOperator tx;
    @Autowired
    EscalationScheduler escalation;

    @BeforeEach
    void province() throws Exception {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        AsteriskTestSupport.awaitListening(PORT);
    }

    private record Call(String system, String uniqueId, AgiSimulator.Result wire) {
        String callKey() {
            return system + "/" + uniqueId;
        }

        String parameters() {
            return system.equals("pbx-test") ? "" : "?system=" + system;
        }
    }

    /** A danger-now call: the caller presses 1 and the ivr script hands the ladder to the dialplan. */
    private Call dangerNow(String system, String uniqueId) throws Exception {
        AgiSimulator.Result wire = AsteriskTestSupport.asterisk(PORT).call(AgiSimulator.environment(
                "ivr" + (system.equals("pbx-test") ? "" : "?system=" + system), uniqueId, "+84905123456", "vi"),
                Keypad.of("1"));
        assertThat(wire.variables()).containsEntry("HOTLINE_DONE", "1").containsEntry("HOTLINE_RUNG_COUNT", "4");
        return new Call(system, uniqueId, wire);
    }

    private Call dangerNow() throws Exception {
        return dangerNow("pbx-test", AsteriskTestSupport.nextUniqueId());
    }

    private AgiSimulator.Result script(Call call, String script, String channelUniqueId, String... args) throws Exception {
        return AsteriskTestSupport.asterisk(PORT).call(AgiSimulator.environment(script + call.parameters(),
                channelUniqueId, "+84905123456", args), Keypad.of(""));
    }

    private AgiSimulator.Result accept(Call call, int rung) throws Exception {
        // The accept script runs on the called person's channel: its own uniqueid, the caller's as an argument.
        return script(call, "accept", AsteriskTestSupport.nextUniqueId(), call.uniqueId(), Integer.toString(rung));
    }

    private AgiSimulator.Result dialResult(Call call, int rung, String status, String answeredTime) throws Exception {
        return dialResult(call, rung, status, answeredTime, "");
    }

    /** As the shipped dialplan reports a rung: {@code accepted} is HOTLINE_ACCEPTED, the rung when someone pressed 1. */
    private AgiSimulator.Result dialResult(Call call, int rung, String status, String answeredTime, String accepted)
            throws Exception {
        return script(call, "dial-result", call.uniqueId(), Integer.toString(rung), status, answeredTime, accepted);
    }

    private AgiSimulator.Result hangup(Call call, String rung, String status) throws Exception {
        return script(call, "hangup", call.uniqueId(), rung, status);
    }

    private Map<String, Object> row(Call call) {
        return db.sql("""
                        SELECT c.outcome, c.ended_at IS NOT NULL AS ended, k.status AS case_status, k.reference,
                               (SELECT o.roster_id FROM officers o WHERE o.id = c.accepted_by_officer_id) AS accepted_by,
                               (SELECT o.roster_id FROM officers o WHERE o.id = k.assigned_officer_id) AS assigned,
                               (SELECT string_agg(a.step || ':' || coalesce(a.dial_status, '-') || ':'
                                                  || coalesce(a.accepted::text, '-'), ' ' ORDER BY a.step)
                                FROM call_dial_attempts a WHERE a.call_id = c.id) AS rungs,
                               (SELECT string_agg(d.kind || ':' || d.state, ' ' ORDER BY d.kind) FROM case_deadlines d
                                WHERE d.case_id = k.id AND d.kind = 'ACKNOWLEDGEMENT') AS ack,
                               (SELECT count(*) FROM referrals r WHERE r.case_id = k.id AND r.target = 'SWITCHBOARD_111') AS to111,
                               (SELECT count(*) FROM audit_events e WHERE e.subject_id = c.id::text
                                  AND e.action = 'TRANSFER_ATTEMPTED') AS attempts_audited,
                               (SELECT count(*) FROM audit_events e WHERE e.subject_id = c.id::text
                                  AND e.action = 'CALL_ENDED') AS ends_audited
                        FROM calls c LEFT JOIN cases k ON k.call_id = c.id
                        WHERE c.provider = 'asterisk' AND c.provider_call_id = :key""")
                .bind("key", call.callKey()).fetch().one().block();
    }

    private void escalateAfter(Duration later) {
        clock.advance(later);
        escalation.runDue("test-node").block();
    }

    @Test
    void anOfficerWhoPressesOneAcknowledgesTheCaseThereAndThenSoNoEscalationFollowsWhileTheyTalk() throws Exception {
        Call call = dangerNow();

        accept(call, 1);

        assertThat(row(call)).containsEntry("outcome", "CONNECTED").containsEntry("accepted_by", "em1")
                .containsEntry("case_status", "ACKNOWLEDGED").containsEntry("assigned", "em1")
                .containsEntry("ack", "ACKNOWLEDGEMENT:MET").containsEntry("attempts_audited", 1L)
                .containsEntry("ended", false);
        assertThat(db.sql("""
                        SELECT e.actor FROM case_events e JOIN cases k ON k.id = e.case_id
                        WHERE k.reference = :ref AND e.to_status = 'ACKNOWLEDGED'""")
                .bind("ref", row(call).get("reference")).map(r -> r.get(0, String.class)).all().collectList().block())
                .as("acknowledged by the officer who took the call").containsExactly("officer:em1");

        escalateAfter(Duration.ofMinutes(15));
        assertThat(row(call)).containsEntry("case_status", "ACKNOWLEDGED").containsEntry("to111", 0L);

        // The officer hangs up after 12 minutes: the Dial returns, then the caller's channel hangs up.
        dialResult(call, 1, "ANSWER", "720", "1");
        hangup(call, "1", "ANSWER");
        hangup(call, "1", "ANSWER");
        assertThat(row(call)).containsEntry("outcome", "CONNECTED").containsEntry("rungs", "1:ANSWER:true 2:-:- 3:-:- 4:-:-")
                .containsEntry("attempts_audited", 1L).containsEntry("ends_audited", 1L).containsEntry("ended", true);
    }

    @Test
    void aCallerWhoHangsUpWhileARungRingsIsAnUrgentCallBackAndTheRungIsCancelled() throws Exception {
        Call call = dangerNow();

        dialResult(call, 1, "NOANSWER", "");
        hangup(call, "2", "");

        assertThat(row(call)).containsEntry("outcome", "CALLBACK_URGENT").containsEntry("ended", true)
                .containsEntry("rungs", "1:NOANSWER:false 2:CANCEL:false 3:-:- 4:-:-")
                .containsEntry("case_status", "ROUTED").containsEntry("ends_audited", 1L);
    }

    @Test
    void whenTheCallerHangsUpWhileBridgedTheAcceptedCallEndsAndItsRungIsAnswered() throws Exception {
        Call call = dangerNow();

        dialResult(call, 1, "BUSY", "");
        accept(call, 2);
        hangup(call, "2", "ANSWER");

        assertThat(row(call)).containsEntry("outcome", "CONNECTED").containsEntry("accepted_by", "sup1")
                .containsEntry("rungs", "1:BUSY:false 2:ANSWER:true 3:-:- 4:-:-").containsEntry("ended", true)
                .containsEntry("ends_audited", 1L);
    }

    @Test
    void aCaseThat111TookByVoiceIsReferredOnceAndNoEscalationRefersItAgain() throws Exception {
        Call call = dangerNow();

        dialResult(call, 1, "NOANSWER", "");
        dialResult(call, 2, "BUSY", "");
        accept(call, 3);
        dialResult(call, 3, "ANSWER", "300", "3");

        assertThat(row(call)).containsEntry("outcome", "CONNECTED").containsEntry("to111", 1L)
                .containsEntry("ack", "ACKNOWLEDGEMENT:HANDED_OFF");
        escalateAfter(Duration.ofMinutes(15));
        escalateAfter(Duration.ofMinutes(15));
        assertThat(row(call)).containsEntry("to111", 1L);
    }

    @Test
    void anAcceptanceWhoseReportWasLostIsRecordedFromTheDialResultOnce() throws Exception {
        Call call = dangerNow();

        dialResult(call, 1, "ANSWER", "95", "1");
        dialResult(call, 1, "ANSWER", "95", "1");

        assertThat(row(call)).containsEntry("outcome", "CONNECTED").containsEntry("case_status", "ACKNOWLEDGED")
                .containsEntry("accepted_by", "em1").containsEntry("attempts_audited", 1L);
    }

    @Test
    void anAnswerWhoseScreeningRanOutOrHungUpIsNoAcceptance() throws Exception {
        Call call = dangerNow();

        // Asterisk reports ANSWER with an ANSWEREDTIME for a voicemail that took the call and never pressed 1.
        dialResult(call, 1, "ANSWER", "14");

        assertThat(row(call)).containsEntry("outcome", "TRANSFERRING").containsEntry("case_status", "ROUTED")
                .containsEntry("rungs", "1:ANSWER:false 2:-:- 3:-:- 4:-:-");
    }

    @Test
    void aDialResultThatWaitsOnTheLockedCallPastTheStepBudgetIsRecordedAfterwardsNotDropped() throws Exception {
        Call call = dangerNow();
        UUID callId = db.sql("SELECT id FROM calls WHERE provider_call_id = :k").bind("k", call.callKey())
                .map(r -> r.get(0, UUID.class)).one().block();
        // Another writer (the AMI consumer, say) holds the call's row for 1.5 s: longer than the 800 ms step budget.
        var held = tx.transactional(db.sql("SELECT 1 FROM calls WHERE id = :id FOR UPDATE").bind("id", callId).then()
                .then(Mono.delay(Duration.ofMillis(1500))).then()).toFuture();
        Thread.sleep(100);

        long began = System.nanoTime();
        AgiSimulator.Result result = dialResult(call, 1, "BUSY", "");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("the dialplan is not held past the budget")
                .isLessThan(Duration.ofMillis(1400));
        assertThat(result.variables()).containsEntry("HOTLINE_DONE", "1");

        held.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"1:BUSY:false 2:-:- 3:-:- 4:-:-".equals(row(call).get("rungs")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(row(call)).containsEntry("rungs", "1:BUSY:false 2:-:- 3:-:- 4:-:-").containsEntry("attempts_audited", 1L);
    }

    @Test
    void uniqueidsOfAnAsteriskWithASystemNameWorkEndToEnd() throws Exception {
        Call call = dangerNow("pbx1", "pbx1-1796664159." + System.nanoTime() % 100000);

        accept(call, 1);

        assertThat(row(call)).containsEntry("outcome", "CONNECTED").containsEntry("case_status", "ACKNOWLEDGED");
    }

    @Test
    void aCallWhoseServerDiedMidMenuIsReconciledByItsHangupAsTheFallback() throws Exception {
        // The ivr script wrote the call's start and its node died: the dialplan's fallback took the caller to the duty
        // phone, and the hangup handler reaches a server that is up.
        String uniqueId = AsteriskTestSupport.nextUniqueId();
        db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, started_at, answered_at, ivr_path)
                        VALUES (:id, 'ASTERISK_VOICE', 'asterisk', :key, 'UNKNOWN', :at, :at, '{greeting}')""")
                .bind("id", UUID.randomUUID()).bind("key", "pbx-test/" + uniqueId)
                .bind("at", MutableClock.Config.START.atOffset(java.time.ZoneOffset.UTC)).then().block();
        Call call = new Call("pbx-test", uniqueId, null);

        hangup(call, "", "ANSWER");

        assertThat(row(call)).containsEntry("outcome", "FALLBACK").containsEntry("ended", true)
                .containsEntry("ends_audited", 1L);
    }

    @Test
    void malformedLadderReportsAreRefusedWithoutAWrite() throws Exception {
        Call call = dangerNow();

        script(call, "accept", AsteriskTestSupport.nextUniqueId(), "not-a-uniqueid", "1");
        script(call, "accept", AsteriskTestSupport.nextUniqueId(), call.uniqueId(), "x");
        hangup(call, "1", "MAYBE");
        assertThat(dialResult(call, 0, "BUSY", "").variables()).doesNotContainKey("HOTLINE_DONE");

        assertThat(row(call)).containsEntry("outcome", "TRANSFERRING").containsEntry("rungs", "1:-:- 2:-:- 3:-:- 4:-:-");
    }
}
