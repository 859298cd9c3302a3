package vn.hotline.gateway.channel.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hotline.gateway.channel.asterisk.internal.AmiTestSupport.await;
import static vn.hotline.gateway.channel.asterisk.internal.AmiTestSupport.text;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.gateway.channel.asterisk.simulator.AmiRecording;
import vn.hotline.gateway.channel.asterisk.simulator.AmiRecording.AmiMessage;
import vn.hotline.gateway.channel.asterisk.simulator.AmiSimulator;

/**
 * The recorded AMI sequences of Asterisk 22 (shared fixtures) complete the FastAGI call records: dial status per rung,
 * who answered, talk time, hang-up cause; duplicates, reordering and unknown calls corrupt nothing; a dropped
 * connection reconnects and the log goes on; a call whose events were lost is marked incomplete. Asserted in SQL.
 */
@GatewayTest
class AmiCallLogTest {

    static final AmiSimulator ASTERISK = AmiTestSupport.simulator();

    @DynamicPropertySource
    static void ami(DynamicPropertyRegistry registry) {
        AmiTestSupport.properties(registry, ASTERISK);
    }

    @AfterAll
    static void stop() throws Exception {
        ASTERISK.close();
    }

    @Autowired
    DatabaseClient db;
    @Autowired
    WebTestClient web;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    AmiEventStore store;
    @Autowired
    vn.hotline.gateway.lease.Leases leases;

    // The application clock is the system clock here: the connector's sweep must see these calls as recent.
    private final Instant now = Instant.now();

    @BeforeEach
    void connected() {
        await("the AMI login", Duration.ofSeconds(10), () -> ASTERISK.loggedInSessions() == 1);
    }

    private static List<AmiMessage> recording(String file) {
        return AmiRecording.load(file).events();
    }

    private void settled(UUID call) {
        await("the call's AMI state", Duration.ofSeconds(10), () -> {
            String state = text(db, "SELECT ami_state FROM calls WHERE id = :id", call);
            return "COMPLETE".equals(state) || "INCOMPLETE".equals(state);
        });
    }

    private String row(UUID call) {
        return text(db, """
                SELECT concat_ws(' | ', ami_state, incomplete::text, coalesce(hangup_cause::text, '-'), coalesce(hangup_cause_text, '-'),
                                 coalesce(talk_ms::text, '-'), coalesce(answered_by_channel, '-'), (bridged_at IS NOT NULL)::text)
                FROM calls WHERE id = :id""", call);
    }

    private String dials(UUID call) {
        return text(db, """
                SELECT string_agg(step || ':' || coalesce(ami_dial_status, '-') || ':'
                                  || coalesce((extract(epoch FROM ami_ended_at - ami_began_at) * 1000)::bigint::text, '-'), ' ' ORDER BY step)
                FROM call_dial_attempts WHERE call_id = :id""", call);
    }

    @Test
    void aCallAnsweredByTheFirstOfficerRecordsWhoAnsweredTheTalkTimeAndTheHangupCause() {
        UUID call = AmiTestSupport.fastAgiCall(db, "1795861410.3", now, "CONNECTED", null);
        AmiTestSupport.ladder(db, call, 2, now);

        ASTERISK.play(recording("dial-answered/ami.txt"));

        settled(call);
        // BridgeEnter of the caller 1411.798577 (the officer was in first) to the first BridgeLeave 1415.006775.
        assertThat(row(call)).isEqualTo("COMPLETE | false | 16 | Normal Clearing | 3208 | PJSIP/officer-00000004 | true");
        // DialBegin 1410.788439 to DialEnd 1411.797797; the second rung was never dialled.
        assertThat(dials(call)).isEqualTo("1:ANSWER:1009 2:-:-");
        // Settled means Newchannel and Hangup are in; the events after them (Cdr) may still be on their way to the table.
        AmiTestSupport.await("all 11 events of the call stored", Duration.ofSeconds(10),
                () -> text(db, "SELECT count(*) FROM ami_events WHERE call_id = :id", call).equals("11"));
        assertThat(text(db, "SELECT count(*) FROM audit_events WHERE action = 'CALL_RECORD_COMPLETED' AND subject_id = :id::text", call))
                .isEqualTo("1");
    }

    @Test
    void aBusyOfficerIsRecordedAsBusyWithTheCallersInheritedCause() {
        UUID call = AmiTestSupport.fastAgiCall(db, "1795861431.7", now, "CALLBACK_URGENT", now);
        AmiTestSupport.ladder(db, call, 1, now);

        ASTERISK.play(recording("dial-busy/ami.txt"));

        settled(call);
        assertThat(row(call)).isEqualTo("COMPLETE | false | 17 | User busy | - | - | false");
        assertThat(dials(call)).isEqualTo("1:BUSY:3");
    }

    @Test
    void noAnswerFromTheOfficerThenTheBackupAnswersGivesEachRungItsStatus() {
        // Synthetic composition of two recordings: the no-answer call goes on to a second dial, which is the answered
        // recording moved 16 s later and renamed to this call's channels (the backup's leg is PJSIP/backup-00000009).
        List<AmiMessage> first = recording("dial-noanswer/ami.txt").stream()
                .filter(m -> !("1795861420.5".equals(m.header("Uniqueid")) && "Hangup".equals(m.event())))
                .filter(m -> !"Cdr".equals(m.event()))
                .toList();
        Map<String, String> names = Map.of("1795861410.3", "1795861420.5", "PJSIP/sipp-00000003", "PJSIP/sipp-00000005",
                "1795861410.4", "1795861420.9", "PJSIP/officer-00000004", "PJSIP/backup-00000009");
        List<AmiMessage> second = recording("dial-answered/ami.txt").stream()
                .filter(m -> !("Newchannel".equals(m.event()) && "1795861410.3".equals(m.header("Uniqueid"))))
                .map(m -> m.shifted(16_000_000).withValues(names))
                .toList();
        UUID call = AmiTestSupport.fastAgiCall(db, "1795861420.5", now, "CONNECTED", null);
        AmiTestSupport.ladder(db, call, 2, now);

        List<AmiMessage> all = new ArrayList<>(first);
        all.addAll(second);
        ASTERISK.play(all);

        settled(call);
        assertThat(row(call)).isEqualTo("COMPLETE | false | 16 | Normal Clearing | 3208 | PJSIP/backup-00000009 | true");
        assertThat(dials(call)).isEqualTo("1:NOANSWER:5002 2:ANSWER:1009");
    }

    @Test
    void aCallerWhoHangsUpWhileTheOfficerRingsIsRecordedAsCancelledWithNoBridge() {
        // Synthetic, from the no-answer recording: the caller hangs up 2 s into the ringing. Asterisk then ends the dial
        // with CANCEL and hangs up both legs; the recorded DialEnd and Hangups are reused with those values.
        List<AmiMessage> recorded = recording("dial-noanswer/ami.txt");
        List<AmiMessage> events = new ArrayList<>();
        for (AmiMessage m : recorded) {
            if ("DialEnd".equals(m.event())) {
                events.add(new AmiMessage(m.text().replace("DialStatus: NOANSWER", "DialStatus: CANCEL")).shifted(-3_000_000));
            } else if ("Hangup".equals(m.event())) {
                events.add(new AmiMessage(m.text().replace("Cause: 0\r\n", "Cause: 16\r\n").replace("Cause-txt: Unknown", "Cause-txt: Normal Clearing"))
                        .shifted("1795861420.5".equals(m.header("Uniqueid")) ? -5_000_000 : -3_000_000));
            } else if (!"Cdr".equals(m.event())) {
                events.add(m);
            }
        }
        events = events.stream().map(m -> m.withValues(Map.of("1795861420.5", "1795861499.5", "1795861420.6", "1795861499.6"))).toList();
        UUID call = AmiTestSupport.fastAgiCall(db, "1795861499.5", now, "TRANSFERRING", null);
        AmiTestSupport.ladder(db, call, 2, now);

        ASTERISK.play(events);

        settled(call);
        assertThat(row(call)).isEqualTo("COMPLETE | false | 16 | Normal Clearing | - | - | false");
        assertThat(dials(call)).isEqualTo("1:CANCEL:2002 2:-:-");
    }

    @Test
    void duplicateAndReorderedEventsGiveTheSameRowsAsTheRecordedOrder() throws InterruptedException {
        Map<String, String> names = Map.of("1795861410.3", "1795861510.3", "1795861410.4", "1795861510.4");
        List<AmiMessage> recorded = recording("dial-answered/ami.txt").stream().map(m -> m.withValues(names)).toList();
        List<AmiMessage> events = new ArrayList<>(recorded);
        events.addAll(recorded.subList(0, 20));
        events.addAll(recorded.stream().filter(m -> "Hangup".equals(m.event()) || "DialEnd".equals(m.event())).toList());
        Collections.shuffle(events, new Random(10));
        UUID call = AmiTestSupport.fastAgiCall(db, "1795861510.3", now, "CONNECTED", null);
        AmiTestSupport.ladder(db, call, 2, now);

        ASTERISK.play(events);

        settled(call);
        AmiTestSupport.await("the 11 distinct events of the call stored", Duration.ofSeconds(10),
                () -> text(db, "SELECT count(*) FROM ami_events WHERE call_id = :id", call).equals("11"));
        Thread.sleep(300);
        assertThat(text(db, "SELECT string_agg(event, ',' ORDER BY event_at) FROM ami_events WHERE call_id = :id", call))
                .isEqualTo("Newchannel,Newchannel,DialBegin,DialEnd,BridgeEnter,BridgeEnter,BridgeLeave,BridgeLeave,Hangup,Hangup,Cdr");
        assertThat(row(call)).isEqualTo("COMPLETE | false | 16 | Normal Clearing | 3208 | PJSIP/officer-00000004 | true");
        assertThat(dials(call)).isEqualTo("1:ANSWER:1009 2:-:-");
        assertThat(text(db, "SELECT count(*) FROM audit_events WHERE action = 'CALL_RECORD_COMPLETED' AND subject_id = :id::text", call))
                .isEqualTo("1");
    }

    @Test
    void eventsOfACallWeNeverSawAreKeptApartAndChangeNoCall() {
        Map<String, String> names = Map.of("1795861431.7", "1795861599.7", "1795861431.8", "1795861599.8");
        String before = db.sql("SELECT count(*) FROM calls WHERE ami_state IS NOT NULL").map(r -> r.get(0, Long.class)).one().block().toString();

        ASTERISK.play(recording("dial-busy/ami.txt").stream().map(m -> m.withValues(names)).toList());

        await("the unknown call's events", Duration.ofSeconds(10), () -> "7".equals(db.sql(
                "SELECT count(*) FROM ami_events WHERE linkedid = '1795861599.7' AND call_id IS NULL").map(r -> r.get(0, Long.class).toString()).one().block()));
        assertThat(db.sql("SELECT count(*) FROM calls WHERE ami_state IS NOT NULL").map(r -> r.get(0, Long.class)).one().block().toString())
                .isEqualTo(before);
    }

    @Test
    void aDroppedConnectionReconnectsTheLogGoesOnAndTheCallThatSpannedTheGapIsIncomplete() {
        Map<String, String> spanning = Map.of("1795861410.3", "1795861610.3", "1795861410.4", "1795861610.4");
        List<AmiMessage> events = recording("dial-answered/ami.txt").stream().map(m -> m.withValues(spanning)).toList();
        UUID gap = AmiTestSupport.fastAgiCall(db, "1795861610.3", now, "CONNECTED", null);
        int logins = ASTERISK.logins();

        int split = events.indexOf(events.stream().filter(m -> "DialEnd".equals(m.event())).findFirst().orElseThrow());
        ASTERISK.play(events.subList(0, split));
        await("the first half", Duration.ofSeconds(10), () -> "OPEN".equals(text(db, "SELECT ami_state FROM calls WHERE id = :id", gap)));
        ASTERISK.dropConnections();
        await("the reconnection", Duration.ofSeconds(10), () -> ASTERISK.logins() == logins + 1 && ASTERISK.loggedInSessions() == 1);
        ASTERISK.play(events.subList(split, events.size()));

        Map<String, String> after = Map.of("1795861431.7", "1795861631.7", "1795861431.8", "1795861631.8");
        UUID next = AmiTestSupport.fastAgiCall(db, "1795861631.7", now, "CALLBACK_URGENT", now);
        ASTERISK.play(recording("dial-busy/ami.txt").stream().map(m -> m.withValues(after)).toList());

        settled(next);
        assertThat(row(next)).isEqualTo("COMPLETE | false | 17 | User busy | - | - | false");
        settled(gap);
        // Its Newchannel came through the first login and its Hangup through the second: what happened between is not known.
        assertThat(text(db, "SELECT concat_ws(' | ', ami_state, incomplete::text) FROM calls WHERE id = :id", gap)).isEqualTo("INCOMPLETE | true");
    }

    @Test
    void theCallDetailShowsTheTimelineFromTheIvrToTheHangup() {
        CaseFixtures.ensureProvince(roster, db, passwords);
        Map<String, String> names = Map.of("1795861410.3", "1795861710.3", "1795861410.4", "1795861710.4");
        UUID call = AmiTestSupport.fastAgiCall(db, "1795861710.3", now, "CONNECTED", null);
        AmiTestSupport.ladder(db, call, 1, now);

        ASTERISK.play(recording("dial-answered/ami.txt").stream().map(m -> m.withValues(names)).toList());
        settled(call);

        CaseFixtures.as(web, "supervisor").get().uri("/api/calls/{id}", call).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.timeline.amiState").isEqualTo("COMPLETE")
                .jsonPath("$.timeline.hangupCause").isEqualTo(16)
                .jsonPath("$.timeline.talkMs").isEqualTo(3208)
                .jsonPath("$.timeline.answeredBy").isEqualTo("PJSIP/officer-00000004")
                .jsonPath("$.timeline.entries[0].kind").isEqualTo("IVR_NODE")
                .jsonPath("$.timeline.entries[0].detail.node").isEqualTo("greeting")
                .jsonPath("$.timeline.entries[?(@.kind == 'DIAL_END')].detail.dialStatus").isEqualTo(List.of("ANSWER"))
                .jsonPath("$.timeline.entries[?(@.kind == 'HANGUP')].detail.cause").isEqualTo(List.of("16", "16"))
                .jsonPath("$.timeline.entries[?(@.kind == 'BRIDGE_ENTER')].detail.channel")
                .isEqualTo(List.of("PJSIP/officer-00000004", "PJSIP/sipp-00000003"))
                .jsonPath("$.dialAttempts[0].amiDialStatus").isEqualTo("ANSWER")
                .jsonPath("$.dialAttempts[0].amiRingMs").isEqualTo(1009);
    }

    @Test
    void aCallWhoseServerDiedMidMenuIsReconciledFromAmisHangupNotLeftWithoutAnOutcome() {
        // The ivr script wrote the call's start and then its node died: no outcome, no end. AMI saw the caller hang up
        // (here the hang-up of hangup-mid-prompt, 2.5 s into a prompt).
        UUID call = AmiTestSupport.fastAgiCall(db, "1795861395.1", now, null, null);

        ASTERISK.play(recording("hangup-mid-prompt/ami.txt"));
        settled(call);

        assertThat(text(db, "SELECT concat_ws(' | ', outcome, ami_state) FROM calls WHERE id = :id", call))
                .isEqualTo("FALLBACK | COMPLETE");
        assertThat(text(db, """
                        SELECT (c.ended_at = e.event_at)::text FROM calls c JOIN ami_events e ON e.call_id = c.id
                        WHERE c.id = :id AND e.event = 'Hangup' AND e.uniqueid = '1795861395.1'""", call))
                .as("the call ended when AMI saw the hang-up").isEqualTo("true");
    }

    @Test
    void aCallWhoseAmiEventsNeverCameIsMarkedIncompleteOnceItsGraceHasPassed() {
        Instant sweep = Instant.now();
        UUID silent = AmiTestSupport.fastAgiCall(db, "1795861801.1", sweep.minusSeconds(400), "REFERENCE_GIVEN", sweep.minusSeconds(180));
        UUID recent = AmiTestSupport.fastAgiCall(db, "1795861802.1", sweep.minusSeconds(60), "REFERENCE_GIVEN", sweep.minusSeconds(30));
        UUID talking = AmiTestSupport.fastAgiCall(db, "1795861803.1", sweep.minusSeconds(600), "TRANSFERRING", null);

        Long marked = store.markIncomplete(leases, "ami:" + AmiTestSupport.SYSTEM, AmiTestSupport.SYSTEM, sweep).block();

        assertThat(marked).isGreaterThanOrEqualTo(1);
        assertThat(text(db, "SELECT concat_ws(' | ', ami_state, incomplete::text) FROM calls WHERE id = :id", silent)).isEqualTo("INCOMPLETE | true");
        assertThat(text(db, "SELECT count(*) FROM audit_events WHERE action = 'CALL_RECORD_COMPLETED' AND subject_id = :id::text", silent))
                .isEqualTo("1");
        assertThat(text(db, "SELECT coalesce(ami_state, '-') FROM calls WHERE id = :id", recent)).isEqualTo("-");
        assertThat(text(db, "SELECT coalesce(ami_state, '-') FROM calls WHERE id = :id", talking)).isEqualTo("-");
    }
}
