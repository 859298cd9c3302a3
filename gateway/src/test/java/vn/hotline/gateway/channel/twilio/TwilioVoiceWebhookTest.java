package vn.hotline.gateway.channel.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.routing.RosterService;

/** Whole Twilio calls as Twilio drives them: signed form posts, TwiML back, and what PostgreSQL holds after each. */
@GatewayTest
@Import(MutableClock.Config.class)
class TwilioVoiceWebhookTest {

    private static final AtomicInteger SIDS = new AtomicInteger();
    private static final String CALLER = "+84905123456";

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    TwilioWebhooks twilio;

    @BeforeEach
    void province() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        twilio = new TwilioWebhooks(web);
    }

    private static String newSid() {
        return String.format("CA%032d", SIDS.incrementAndGet());
    }

    private long count(String sql, String sid) {
        return db.sql(sql).bind("sid", sid).map(r -> r.get(0, Long.class)).one().block();
    }

    private long auditEvents() {
        return db.sql("SELECT count(*) FROM audit_events").map(r -> r.get(0, Long.class)).one().block();
    }

    private Map<String, Object> callRow(String sid) {
        return db.sql("""
                        SELECT c.outcome, c.channel, c.caller_kind, c.ended_at IS NOT NULL AS ended,
                               array_to_string(c.ivr_path, ' ') AS path, s.step,
                               (SELECT k.reference FROM cases k WHERE k.call_id = c.id) AS reference,
                               (SELECT count(*) FROM cases k WHERE k.call_id = c.id) AS cases,
                               (SELECT count(*) FROM call_dial_attempts a WHERE a.call_id = c.id) AS rungs
                        FROM calls c JOIN ivr_sessions s ON s.call_id = c.id
                        WHERE c.provider = 'twilio' AND c.provider_call_id = :sid""")
                .bind("sid", sid).fetch().one().block();
    }

    /** The requests of a call that presses these menu keys, in order, as Twilio sends them. */
    private List<String[]> menuCall(String sid, String... keys) {
        List<String[]> requests = new ArrayList<>();
        requests.add(new String[] {"/twilio/voice", ""});
        for (int i = 0; i < keys.length; i++) {
            requests.add(new String[] {"/twilio/voice/gather?step=" + (i + 1), keys[i]});
        }
        return requests;
    }

    private String send(String sid, String[] request) {
        Map<String, String> extra = request[1].isEmpty() && request[0].equals("/twilio/voice") ? Map.of()
                : Map.of("Digits", request[1], "FinishedOnKey", "");
        return twilio.twiml(request[0], TwilioWebhooks.voice(sid, CALLER, "in-progress", extra));
    }

    @Test
    void aSignedIncomingCallGetsTheGreetingAsAGatherWhoseActionCarriesTheNextStep() {
        String sid = newSid();
        String twiml = twilio.twiml("/twilio/voice", TwilioWebhooks.voice(sid, CALLER, "ringing", Map.of()));

        assertThat(twiml).startsWith("<?xml").contains("<Gather", "action=\"/twilio/voice/gather?step=1\"",
                "actionOnEmptyResult=\"true\"", "<Say language=\"vi-VN\">Đây là Đường dây bảo vệ trẻ em.");
        assertThat(callRow(sid)).containsEntry("channel", "TWILIO_VOICE").containsEntry("caller_kind", "NUMBER")
                .containsEntry("step", 0);
        String stored = db.sql("SELECT encode(caller_cipher, 'escape') FROM calls WHERE provider_call_id = :sid")
                .bind("sid", sid).map(r -> r.get(0, String.class)).one().block();
        assertThat(stored).doesNotContain("905123456");
    }

    @Test
    void aBadOrMissingSignatureIs403AndChangesNothingWhileTheSameRequestSignedIs200() {
        String sid = newSid();
        Map<String, String> form = TwilioWebhooks.voice(sid, CALLER, "ringing", Map.of());

        twilio.post("/twilio/voice", form, null).expectStatus().isForbidden();
        twilio.post("/twilio/voice", form, TwilioWebhooks.sign("/twilio/voice", form, "not-the-token"))
                .expectStatus().isForbidden();
        twilio.post("/twilio/voice?step=0", form, TwilioWebhooks.sign("/twilio/voice", form, TwilioWebhooks.AUTH_TOKEN))
                .expectStatus().isForbidden();
        assertThat(count("SELECT count(*) FROM calls WHERE provider_call_id = :sid", sid)).isZero();

        twilio.post("/twilio/voice", form).expectStatus().isOk();
        assertThat(count("SELECT count(*) FROM calls WHERE provider_call_id = :sid", sid)).isOne();
    }

    @Test
    void theConfiguredPublicUrlIsWhatTheSignatureCoversWhateverTheProxySays() {
        String sid = newSid();
        Map<String, String> form = TwilioWebhooks.voice(sid, CALLER, "ringing", Map.of());
        // A proxy's forwarded host does not matter once the public base URL is configured: Twilio signed that URL.
        web.post().uri("/twilio/voice").header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https")
                .header("X-Twilio-Signature", TwilioWebhooks.sign("/twilio/voice", form, TwilioWebhooks.AUTH_TOKEN))
                .contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue(formBody(form))
                .exchange().expectStatus().isOk();
    }

    private static String formBody(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        return body.toString();
    }

    @Test
    void aWholeCallWithACaseHearsItsReferenceAndHangsUpWithOneCaseStored() {
        String sid = newSid();
        List<String> replies = new ArrayList<>();
        for (String[] request : menuCall(sid, "5", "2", "47", "2")) {
            replies.add(send(sid, request));
        }

        Map<String, Object> row = callRow(sid);
        String reference = (String) row.get("reference");
        assertThat(reference).startsWith("BD-2026-");
        assertThat(row).containsEntry("outcome", "REFERENCE_GIVEN").containsEntry("ended", true)
                .containsEntry("cases", 1L).containsEntry("step", 4);
        String last = replies.get(replies.size() - 1);
        assertThat(last).contains("Mã số hồ sơ của bạn là:").endsWith("<Hangup/></Response>").doesNotContain("<Gather");
        // The reference is spelled out character by character from the catalog ("bê, dê, gạch ngang, ...").
        assertThat(last).contains("Mã số hồ sơ của bạn là: bê, dê, gạch ngang, hai, không, hai, sáu, gạch ngang");
        assertThat(count("SELECT count(*) FROM twilio_replies WHERE call_sid = :sid", sid)).isEqualTo(5);
        assertThat(count("""
                SELECT count(*) FROM audit_events WHERE action IN ('CALL_STARTED', 'CALL_ENDED', 'CASE_OPENED')
                  AND (subject_id IN (SELECT id::text FROM calls WHERE provider_call_id = :sid)
                       OR subject_id IN (SELECT reference FROM cases WHERE call_id IN
                            (SELECT id FROM calls WHERE provider_call_id = :sid)))""", sid)).isEqualTo(3);
    }

    @Test
    void theCallDetailTimelineGivesEachIvrNodeTheTimeTheCallerReachedIt() {
        String sid = newSid();
        java.time.Instant start = clock.instant();
        for (String[] request : menuCall(sid, "5", "2", "47", "2")) {
            send(sid, request);
            clock.advance(java.time.Duration.ofSeconds(7));
        }
        String callId = db.sql("SELECT id::text FROM calls WHERE provider_call_id = :sid").bind("sid", sid)
                .map(r -> r.get(0, String.class)).one().block();

        CaseFixtures.as(web, "supervisor").get().uri("/api/calls/{id}", callId).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.timeline.entries[0].detail.node").isEqualTo("greeting")
                .jsonPath("$.timeline.entries[0].at").isEqualTo(start.toString())
                .jsonPath("$.timeline.entries[1].detail.node").isEqualTo("who")
                .jsonPath("$.timeline.entries[1].at").isEqualTo(start.plusSeconds(7).toString())
                .jsonPath("$.timeline.entries[?(@.kind == 'IVR_NODE' && !@.at)]").isEmpty();
    }

    @Test
    void replayingEveryRequestOfACallTwiceGivesIdenticalAnswersAndOneStateChange() {
        String sid = newSid();
        for (String[] request : menuCall(sid, "5", "2", "47", "2")) {
            String first = send(sid, request);
            long events = auditEvents();
            String replay = send(sid, request);
            assertThat(replay).as("replay of %s", request[0]).isEqualTo(first);
            assertThat(auditEvents()).as("no new audit event on replay").isEqualTo(events);
        }
        assertThat(callRow(sid)).containsEntry("cases", 1L).containsEntry("step", 4);
        assertThat(count("SELECT count(*) FROM outbox WHERE payload->>'reference' = (SELECT reference FROM cases WHERE call_id = (SELECT id FROM calls WHERE provider_call_id = :sid))", sid)).isOne();
    }

    @Test
    void theSameMenuAnswerArrivingEightTimesAtOnceTakesTheStepOnceAndGetsOneAnswer() throws Exception {
        String sid = newSid();
        send(sid, new String[] {"/twilio/voice", ""});
        Set<String> distinct = TwilioWebhooks.distinctAnswers(8, () -> send(sid, new String[] {"/twilio/voice/gather?step=1", "5"}));
        assertThat(distinct).hasSize(1);
        assertThat(distinct.iterator().next()).contains("action=\"/twilio/voice/gather?step=2\"");
        assertThat(callRow(sid)).containsEntry("step", 1);
        assertThat(count("SELECT count(*) FROM twilio_replies WHERE call_sid = :sid AND step = 1", sid)).isOne();
    }

    @Test
    void anOldStepArrivingLateRepeatsWhereTheCallIsWithoutMovingIt() {
        String sid = newSid();
        send(sid, new String[] {"/twilio/voice", ""});
        String second = send(sid, new String[] {"/twilio/voice/gather?step=1", "5"});
        String late = send(sid, new String[] {"/twilio/voice/gather?step=3", "2"});

        assertThat(late).isEqualTo(second);
        assertThat(callRow(sid)).containsEntry("step", 1);
    }

    @Test
    void dangerNowDialsTheLadderWithAWhisperSoOnlyAnOfficerWhoPressesOneTakesTheCall() {
        String sid = newSid();
        send(sid, new String[] {"/twilio/voice", ""});
        String transfer = send(sid, new String[] {"/twilio/voice/gather?step=1", "1"});
        assertThat(transfer).contains("<Say language=\"vi-VN\">Chúng tôi đang nối máy ngay cho người trực.",
                "<Redirect method=\"POST\">/twilio/voice/ladder?rung=1</Redirect>");
        assertThat(callRow(sid)).containsEntry("outcome", "TRANSFERRING").containsEntry("cases", 1L);

        Map<String, String> inCall = TwilioWebhooks.voice(sid, CALLER, "in-progress", Map.of());
        String rung1 = twilio.twiml("/twilio/voice/ladder?rung=1", inCall);
        assertThat(rung1).contains("<Dial action=\"/twilio/voice/dial?rung=1\"", "answerOnBridge=\"true\"",
                "<Number method=\"POST\" url=\"/twilio/voice/whisper?rung=1\">+84912000111</Number>");

        // Voicemail answers rung 1: the whisper plays to nobody who presses 1, Twilio reports the leg completed.
        String leg = "CA" + "f".repeat(32);
        Map<String, String> whisperForm = TwilioWebhooks.voice(leg, TwilioWebhooks.HOTLINE, "in-progress",
                Map.of("ParentCallSid", sid));
        assertThat(twilio.twiml("/twilio/voice/whisper?rung=1", whisperForm))
                .contains("<Gather", "numDigits=\"1\"", "/twilio/voice/whisper/accept?rung=1", "Bấm phím 1");
        Map<String, String> rung1Done = TwilioWebhooks.voice(sid, CALLER, "in-progress",
                Map.of("DialCallStatus", "completed", "DialCallSid", leg, "DialCallDuration", "9"));
        String next = twilio.twiml("/twilio/voice/dial?rung=1", rung1Done);
        assertThat(next).contains("/twilio/voice/ladder?rung=2");
        assertThat(twilio.twiml("/twilio/voice/dial?rung=1", rung1Done)).as("replayed dial result").isEqualTo(next);

        // Rung 2: the officer presses 1 and is bridged; the dial result after the talk ends the call.
        twilio.twiml("/twilio/voice/ladder?rung=2", inCall);
        Map<String, String> pressed = new java.util.HashMap<>(whisperForm);
        pressed.put("Digits", "1");
        assertThat(twilio.twiml("/twilio/voice/whisper/accept?rung=2", pressed)).doesNotContain("<Hangup");
        assertThat(db.sql("""
                        SELECT k.status || ' ' || (SELECT o.roster_id FROM officers o WHERE o.id = k.assigned_officer_id)
                        FROM cases k JOIN calls c ON c.id = k.call_id WHERE c.provider_call_id = :sid""")
                .bind("sid", sid).map(r -> r.get(0, String.class)).one().block())
                .as("accepting the call acknowledges the case, by that officer, while they talk").isEqualTo("ACKNOWLEDGED sup1");
        String end = twilio.twiml("/twilio/voice/dial?rung=2", TwilioWebhooks.voice(sid, CALLER, "in-progress",
                Map.of("DialCallStatus", "completed", "DialCallSid", leg, "DialCallDuration", "300")));
        assertThat(end).contains("<Hangup/>");

        assertThat(callRow(sid)).containsEntry("outcome", "CONNECTED");
        List<Map<String, Object>> attempts = db.sql("""
                        SELECT a.step, a.rung_kind, a.dial_status, a.accepted FROM call_dial_attempts a JOIN calls c ON c.id = a.call_id
                        WHERE c.provider_call_id = :sid AND a.dial_status IS NOT NULL ORDER BY a.step""")
                .bind("sid", sid).fetch().all().collectList().block();
        assertThat(attempts).extracting(a -> a.get("accepted")).containsExactly(false, true);
        assertThat(attempts).as("the call log's one vocabulary (Asterisk's DIALSTATUS)")
                .extracting(a -> a.get("dial_status")).containsExactly("ANSWER", "ANSWER");
    }

    @Test
    void aCallerWhoHangsUpInTheMenuIsRecordedAbandonedThereOnceEvenWhenTheStatusComesTwice() {
        String sid = newSid();
        send(sid, new String[] {"/twilio/voice", ""});
        send(sid, new String[] {"/twilio/voice/gather?step=1", "5"});
        Map<String, String> completed = TwilioWebhooks.voice(sid, CALLER, "completed", Map.of("CallDuration", "31"));

        twilio.twiml("/twilio/voice/status", completed);
        long events = auditEvents();
        twilio.twiml("/twilio/voice/status", completed);

        assertThat(callRow(sid)).containsEntry("outcome", "ABANDONED").containsEntry("ended", true);
        assertThat(auditEvents()).isEqualTo(events);
    }

    @Test
    void theFallbackDialsTheDutyPhoneThen111WithoutSignatureOrDatabase() {
        String twiml = web.post().uri("/twilio/voice/fallback").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(twiml).contains("<Dial timeout=\"20\"><Number>+442079460000</Number></Dial>",
                "<Dial timeout=\"20\"><Number>+84111</Number></Dial>");
    }

    @Test
    void aCallSidThatIsNotACallSidIsAnsweredWithTheFallbackNotAnError() {
        String twiml = twilio.twiml("/twilio/voice/gather?step=1", TwilioWebhooks.voice("", CALLER, "in-progress",
                Map.of("Digits", "1")));
        assertThat(twiml).contains("<Number>+442079460000</Number>");
    }
}
