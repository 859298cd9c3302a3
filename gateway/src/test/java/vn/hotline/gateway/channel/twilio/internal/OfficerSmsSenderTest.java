package vn.hotline.gateway.channel.twilio.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.channel.twilio.TwilioWebhooks;
import vn.hotline.gateway.outbox.Outbox;
import vn.hotline.gateway.outbox.OutboxDispatcher;
import vn.hotline.gateway.outbox.OutboxMessage;
import vn.hotline.gateway.outbox.OutboxSender;
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

/** Officer SMS through the outbox against WireMock standing for Twilio's REST API: every failure mode, nothing lost or doubled. */
@GatewayTest
@Import(MutableClock.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class OfficerSmsSenderTest {

    static final WireMockServer TWILIO = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    static final String MESSAGES = "/2010-04-01/Accounts/" + TwilioWebhooks.ACCOUNT_SID + "/Messages.json";
    /** o550's phone in the roster fixture: it must reach Twilio and nothing else. */
    static final String OFFICER_PHONE = "+84912000550";
    static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    static {
        TWILIO.start();
    }

    @DynamicPropertySource
    static void twilio(DynamicPropertyRegistry registry) {
        registry.add("hotline.twilio.rest-base-url", TWILIO::baseUrl);
        // Short enough for a test to wait out; the production values are in application.yml.
        registry.add("hotline.twilio.sms.read-timeout", () -> "3s");
        registry.add("hotline.twilio.sms.breaker-window", () -> "4");
        // Long enough that a slow machine never half-opens the breaker between two dispatches of one test; the test
        // that needs the half-open state moves the breaker there itself.
        registry.add("hotline.twilio.sms.breaker-open-for", () -> "1m");
        registry.add("hotline.twilio.sms.rate-per-second", () -> "50");
    }

    @AfterAll
    static void stop() {
        TWILIO.stop();
    }

    @Autowired
    OutboxDispatcher dispatcher;
    @Autowired
    Outbox outbox;
    @Autowired
    OfficerSmsSender sender;
    @Autowired
    CaseService cases;
    @Autowired
    DatabaseClient db;
    @Autowired
    RosterService roster;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;
    @Autowired
    WebTestClient web;

    @BeforeEach
    void fresh() {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        db.sql("UPDATE outbox SET delivered_at = available_at WHERE delivered_at IS NULL").then().block();
        TWILIO.resetAll();
        sender.breaker().reset();
    }

    @AfterEach
    void everyRequestMatchedAStub() {
        assertThat(TWILIO.findAllUnmatchedRequests()).as("requests no stub expected").isEmpty();
    }

    /** A new bullying case in Tuy Phước: routing notifies o550 through the outbox. */
    private String openCase() {
        TriageResult triage = new TriageResult(Channel.TWILIO_VOICE, Language.VI, Urgency.NORMAL, Category.CYBERBULLYING,
                ReporterRole.CHILD, AgeBand.AGE_11_15, new LocationHint.FormerDistrict("550"), new Consents(true, false, true),
                Optional.empty(), List.of("greeting"));
        return cases.open(new CaseIntake(triage, clock.instant(), Optional.empty())).block().reference();
    }

    private static String created(String sid, String status, String body, Instant at) {
        return """
                {"sid": "%s", "account_sid": "%s", "to": "%s", "from": "+12025550199", "body": "%s", "status": "%s",
                 "direction": "outbound-api", "num_segments": "1", "date_created": "%s", "date_updated": "%s",
                 "date_sent": null, "uri": "/2010-04-01/Accounts/%s/Messages/%s.json"}"""
                .formatted(sid, TwilioWebhooks.ACCOUNT_SID, OFFICER_PHONE, body.replace("\"", "\\\""), status,
                        RFC_2822.format(at.atOffset(ZoneOffset.UTC)), RFC_2822.format(at.atOffset(ZoneOffset.UTC)),
                        TwilioWebhooks.ACCOUNT_SID, sid);
    }

    private static String page(String... messages) {
        return page(null, List.of(messages));
    }

    /** A page of Twilio's list, with the link to the next one if any. */
    private static String page(String nextPageUri, List<String> messages) {
        return """
                {"messages": [%s], "end": 0, "first_page_uri": "%s?To=x&PageSize=50&Page=0", "next_page_uri": %s,
                 "page": 0, "page_size": 50, "previous_page_uri": null, "start": 0, "uri": "%s?To=x&PageSize=50&Page=0"}"""
                .formatted(String.join(",", messages), MESSAGES, nextPageUri == null ? "null" : "\"" + nextPageUri + "\"",
                        MESSAGES);
    }

    private static String twilioError(int status) {
        return "{\"code\": 20" + status + ", \"message\": \"error\", \"more_info\": \"https://www.twilio.com/docs/errors/20"
                + status + "\", \"status\": " + status + "}";
    }

    private static List<Map<String, String>> sentForms() {
        return TWILIO.findAll(postRequestedFor(urlPathEqualTo(MESSAGES))).stream().map(r -> form(r.getBodyAsString())).toList();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private Map<String, Object> notification(String reference) {
        return db.sql("""
                        SELECT n.id, n.status, n.provider_sid, n.uncertain, n.attempts, n.updated_at,
                               (SELECT count(*) FROM audit_events a WHERE a.action = 'NOTIFICATION_SENT' AND a.subject_id = c.reference) AS audited
                        FROM notifications n JOIN cases c ON c.id = n.case_id WHERE c.reference = :ref""")
                .bind("ref", reference).fetch().one().block();
    }

    private int dispatch() {
        return dispatcher.runOnce(sender).block();
    }

    private void later() {
        clock.advance(Duration.ofMinutes(1));
    }

    @Test
    void anAssignedCaseSendsTheOfficerOneSmsWithReferenceCategoryUrgencyAndDeadlineButNothingOfTheChild() {
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(created("SM1", "queued", "x", clock.instant()))));
        String reference = openCase();

        assertThat(dispatch()).isOne();

        Map<String, String> sms = sentForms().get(0);
        assertThat(sms).containsEntry("To", OFFICER_PHONE).containsEntry("From", "+12025550199");
        // Received 03:00 UTC = 10:00 in Vietnam; a NORMAL case is acknowledged within 4 hours.
        assertThat(sms.get("Body")).isEqualTo("Hồ sơ " + reference + " được giao cho anh/chị: bắt nạt trên mạng, mức độ "
                + "bình thường. Hạn xác nhận: 14:00 12/02/2026. Xem chi tiết trên hệ thống.");
        UUID id = (UUID) notification(reference).get("id");
        assertThat(sms.get("StatusCallback")).isEqualTo("https://hotline.test/twilio/sms/status?n=" + id);
        assertThat(notification(reference)).containsEntry("status", "queued").containsEntry("provider_sid", "SM1")
                .containsEntry("uncertain", false).containsEntry("audited", 1L);

        later();
        assertThat(dispatch()).isZero();
        assertThat(sentForms()).hasSize(1);
    }

    @Test
    void aFirst500ThenAResetAfterTwilioRecordedTheSecondIsFoundByTheLookUpAndNeverSentAThirdTime() {
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json").withBody(twilioError(500)))
                .willSetStateTo("reset"));
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("flaky").whenScenarioStateIs("reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String reference = openCase();

        assertThat(dispatch()).isZero();
        assertThat(sentForms()).as("the 500 is retried at once, the reset is not").hasSize(2);
        assertThat(notification(reference)).containsEntry("uncertain", true).containsEntry("status", "pending");

        String body = sentForms().get(1).get("Body");
        TWILIO.stubFor(get(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(page(created("SM2", "sent", body, clock.instant().plusSeconds(1))))));
        later();
        assertThat(dispatch()).isOne();

        TWILIO.verify(1, getRequestedFor(urlPathEqualTo(MESSAGES)));
        assertThat(sentForms()).as("no third send").hasSize(2);
        assertThat(notification(reference)).containsEntry("provider_sid", "SM2").containsEntry("status", "sent")
                .containsEntry("uncertain", false).containsEntry("audited", 1L);
        later();
        assertThat(dispatch()).isZero();
        assertThat(sentForms()).hasSize(2);
    }

    @Test
    void theLookUpReadsEveryPageSoAMessageBehindFiftyNewerOnesToTheSameOfficerIsFoundAndNotSentAgain() {
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String reference = openCase();
        assertThat(dispatch()).isZero();
        assertThat(notification(reference)).containsEntry("uncertain", true);

        // A burst of other cases' texts to the same officer since: ours is on the second page, newest first.
        String body = sentForms().get(0).get("Body");
        List<String> newer = java.util.stream.IntStream.range(0, 50)
                .mapToObj(i -> created("SMother" + i, "sent", "Hồ sơ khác " + i, clock.instant().plusSeconds(2))).toList();
        String secondPage = MESSAGES + "?To=%2B84912000550&PageSize=50&Page=1&PageToken=PA1";
        TWILIO.stubFor(get(urlPathEqualTo(MESSAGES)).withQueryParam("Page", absent()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(page(secondPage, newer))));
        TWILIO.stubFor(get(urlPathEqualTo(MESSAGES)).withQueryParam("Page", equalTo("1"))
                .withQueryParam("PageToken", equalTo("PA1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(page(null, List.of(created("SMours", "sent", body, clock.instant().plusSeconds(1)))))));
        later();
        assertThat(dispatch()).isOne();

        TWILIO.verify(2, getRequestedFor(urlPathEqualTo(MESSAGES)));
        assertThat(sentForms()).as("not sent a second time").hasSize(1);
        assertThat(notification(reference)).containsEntry("provider_sid", "SMours").containsEntry("uncertain", false);
    }

    @Test
    void aTimeOutIsAmbiguousSoTheNextAttemptLooksUpAndSendsWhenTwilioHasNothing() {
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(201).withFixedDelay(6000).withHeader("Content-Type", "application/json")
                        .withBody(created("SM3", "queued", "x", clock.instant())))
                .willSetStateTo("fast"));
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(created("SM4", "queued", "x", clock.instant()))));
        TWILIO.stubFor(get(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(page())));
        String reference = openCase();

        assertThat(dispatch()).isZero();
        assertThat(notification(reference)).containsEntry("uncertain", true);
        later();
        assertThat(dispatch()).isOne();

        TWILIO.verify(1, getRequestedFor(urlPathEqualTo(MESSAGES)));
        assertThat(sentForms()).hasSize(2);
        assertThat(notification(reference)).containsEntry("provider_sid", "SM4").containsEntry("attempts", 2);
    }

    @Test
    void a429IsRetriedAtOnceAndTheMessageIsSentOnce() {
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Content-Type", "application/json").withBody(twilioError(429)))
                .willSetStateTo("ok"));
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("busy").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(created("SM5", "queued", "x", clock.instant()))));
        String reference = openCase();

        assertThat(dispatch()).isOne();
        assertThat(sentForms()).hasSize(2);
        assertThat(notification(reference)).containsEntry("provider_sid", "SM5").containsEntry("uncertain", false);
    }

    @Test
    void repeated500sOpenTheCircuitWhichRefusesWithoutCallingTwilioThenClosesWhenTwilioRecovers() {
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("down").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json").withBody(twilioError(500))));
        String reference = openCase();

        assertThat(dispatch()).isZero();
        assertThat(sender.breaker().getState()).as("two failures of four").isEqualTo(CircuitBreaker.State.CLOSED);
        later();
        assertThat(dispatch()).isZero();
        assertThat(sentForms()).hasSize(4);
        assertThat(sender.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int calls = sentForms().size();
        later();
        assertThat(dispatch()).isZero();
        assertThat(sentForms()).as("an open circuit sends nothing").hasSize(calls);
        assertThat(db.sql("SELECT last_error FROM outbox WHERE payload->>'reference' = :ref").bind("ref", reference)
                .map(r -> r.get(0, String.class)).one().block()).contains("CallNotPermitted");

        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("down").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(created("SM6", "queued", "x", clock.instant()))));
        TWILIO.setScenarioState("down", "up");
        // The open period has passed (as the breaker's own timer would decide): probes may go through.
        sender.breaker().transitionToHalfOpenState();
        later();
        assertThat(dispatch()).isOne();
        assertThat(sender.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(notification(reference)).containsEntry("provider_sid", "SM6");
    }

    @Test
    void deliveryStatusOnlyMovesForwardSoALateSentNeverOverwritesDelivered() {
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(created("SM7", "queued", "x", clock.instant()))));
        String reference = openCase();
        dispatch();
        UUID id = (UUID) notification(reference).get("id");
        TwilioWebhooks twilio = new TwilioWebhooks(web);
        String path = "/twilio/sms/status?n=" + id;

        // The recorded callback first, twice: one change, the same answer.
        TwilioWebhooks.Fixture delivered = TwilioWebhooks.fixture("sms-status-delivered",
                Map.of("NotificationId", id.toString(), "MessageSid", "SM7", "Officer", OFFICER_PHONE));
        assertThat(delivered.path()).isEqualTo(path);
        String first = twilio.post(path, delivered.form()).expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
        Object updatedAt = notification(reference).get("updated_at");
        assertThat(notification(reference)).containsEntry("status", "delivered");
        assertThat(twilio.post(path, delivered.form()).expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody()).isEqualTo(first);
        assertThat(notification(reference).get("updated_at")).as("the replay changes nothing").isEqualTo(updatedAt);

        for (String status : new String[] {"sent", "delivered", "sent", "queued"}) {
            twilio.post(path, Map.of("AccountSid", TwilioWebhooks.ACCOUNT_SID, "ApiVersion", "2010-04-01",
                    "MessageSid", "SM7", "MessageStatus", status, "SmsSid", "SM7", "SmsStatus", status,
                    "From", "+12025550199", "To", OFFICER_PHONE)).expectStatus().isOk();
        }
        assertThat(notification(reference)).containsEntry("status", "delivered");

        Map<String, String> forged = Map.of("MessageSid", "SM7", "MessageStatus", "failed");
        twilio.post(path, forged, TwilioWebhooks.sign(path, forged, "wrong-token")).expectStatus().isForbidden();
        twilio.post(path, forged).expectStatus().isOk();
        assertThat(notification(reference)).containsEntry("status", "delivered");
    }

    @Test
    void noPhoneNumberOrMessageBodyReachesTheLogsThroughFailuresAndACall(CapturedOutput output) {
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("logs").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/json").withBody(twilioError(500)))
                .willSetStateTo("reset"));
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("logs").whenScenarioStateIs("reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        TWILIO.stubFor(get(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(page())));
        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).inScenario("logs").whenScenarioStateIs("reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String reference = openCase();
        dispatch();
        later();
        dispatch();
        String plantedCaller = "+84905777666";
        TwilioWebhooks twilio = new TwilioWebhooks(web);
        String sid = "CA" + "7".repeat(32);
        twilio.twiml("/twilio/voice", TwilioWebhooks.voice(sid, plantedCaller, "ringing", Map.of()));
        twilio.post("/twilio/voice", TwilioWebhooks.voice(sid, plantedCaller, "ringing", Map.of()), "bad").expectStatus().isForbidden();

        assertThat(output.getAll()).contains("Outbox officer-notify", "Twilio webhook /twilio/voice refused")
                .doesNotContain("912000550", "905777666", "912 000 550", "được giao cho", reference);
    }

    @Test
    void anAlertForTheDutySupervisorIsTextedToWhoeverIsOnThatShiftNow() {
        String reference = openCase();
        db.sql("UPDATE outbox SET delivered_at = available_at WHERE delivered_at IS NULL").then().block();
        // What the escalation scheduler writes when a statutory deadline passes unmet.
        outbox.enqueue(new OutboxMessage("supervisor-notify", "deadline.missed", "deadline-alert-1",
                Map.of("reference", reference, "deadline", "SUPPORT_PLAN", "dueAt", clock.instant().toString()), clock.instant())).block();
        OutboxSender alerts = dispatcher.senders().stream().filter(s -> s.destination().equals("supervisor-notify"))
                .findFirst().orElseThrow();
        assertThat(dispatcher.runOnce(alerts).block()).isEqualTo(1);

        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(created("SMalert1", "queued", "alert", clock.instant()))));
        assertThat(dispatch()).isEqualTo(1);

        Map<String, String> sms = sentForms().get(0);
        assertThat(sms.get("To")).as("sup1, the duty supervisor on shift").isEqualTo("+84912000999");
        assertThat(sms.get("Body")).contains(reference).contains("quá hạn");
        assertThat(dispatch()).as("sent once").isZero();
        assertThat(sentForms()).hasSize(1);
    }

    private Map<String, Object> callerCall(String sid) {
        return db.sql("""
                        SELECT c.outcome, c.ended_at IS NOT NULL AS ended, k.reference,
                               (SELECT count(*) FROM outbox o WHERE o.destination = 'caller-notify'
                                AND o.payload->>'callId' = c.id::text) AS texts
                        FROM calls c JOIN cases k ON k.call_id = c.id WHERE c.provider_call_id = :sid""")
                .bind("sid", sid).fetch().one().block();
    }

    @Test
    void aCallerWhoPressesOneAfterTheReferenceGetsItByTextInNeutralWordsAndTheNumberIsNeverLogged(CapturedOutput output) {
        String caller = "+84905333444";
        String sid = "CA" + "5".repeat(32);
        TwilioWebhooks twilio = new TwilioWebhooks(web);
        String offer = twilio.callUpToTheTextOffer(sid, caller);
        assertThat(offer).contains("bấm phím 1", "<Gather").doesNotContain("<Hangup");
        assertThat(offer.indexOf("Mã số hồ sơ của bạn là")).as("the reference is said before, not inside, the <Gather>")
                .isLessThan(offer.indexOf("<Gather"));

        Map<String, String> pressOne = TwilioWebhooks.voice(sid, caller, "in-progress", Map.of("Digits", "1", "FinishedOnKey", ""));
        String end = twilio.twiml("/twilio/voice/gather?step=5", pressOne);
        assertThat(end).contains("gửi mã số cho bạn bằng tin nhắn").endsWith("<Hangup/></Response>");
        assertThat(twilio.twiml("/twilio/voice/gather?step=5", pressOne)).as("a replay").isEqualTo(end);
        Map<String, Object> call = callerCall(sid);
        String reference = (String) call.get("reference");
        assertThat(call).containsEntry("outcome", "REFERENCE_GIVEN").containsEntry("ended", true).containsEntry("texts", 1L);

        TWILIO.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody(created("SMcaller1", "queued", "x", clock.instant()))));
        OutboxSender callerTexts = dispatcher.senders().stream().filter(s -> s.destination().equals("caller-notify"))
                .findFirst().orElseThrow();
        assertThat(dispatcher.runOnce(callerTexts).block()).isEqualTo(1);
        assertThat(dispatcher.runOnce(callerTexts).block()).as("sent once").isZero();

        assertThat(sentForms()).hasSize(1);
        Map<String, String> sms = sentForms().get(0);
        assertThat(sms.get("To")).isEqualTo(caller);
        assertThat(sms.get("Body")).as("a reference and nothing about the hotline").isEqualTo("Mã số của bạn: " + reference);
        assertThat(db.sql("""
                        SELECT n.officer_id IS NULL AND n.call_id = c.id FROM notifications n JOIN calls c ON c.id = n.call_id
                        WHERE c.provider_call_id = :sid AND n.provider_sid = 'SMcaller1'""")
                .bind("sid", sid).map(r -> r.get(0, Boolean.class)).one().block()).isTrue();
        assertThat(db.sql("SELECT count(*) FROM audit_events WHERE action = 'CALLER_TEXT_REQUESTED' AND actor_type = 'CALLER'")
                .map(r -> r.get(0, Long.class)).one().block()).isEqualTo(1);
        assertThat(output.getAll()).doesNotContain("905333444", "905 333 444");
    }

    @Test
    void silenceOrAHangUpAtTheOfferSendsNoTextAndTheCallStillCountsAsReferenceGiven() {
        TwilioWebhooks twilio = new TwilioWebhooks(web);
        String quiet = "CA" + "6".repeat(32);
        twilio.callUpToTheTextOffer(quiet, "+84905333445");
        String end = twilio.twiml("/twilio/voice/gather?step=5",
                TwilioWebhooks.voice(quiet, "+84905333445", "in-progress", Map.of()));
        assertThat(end).endsWith("<Hangup/></Response>").doesNotContain("tin nhắn");

        String gone = "CA" + "8".repeat(32);
        twilio.callUpToTheTextOffer(gone, "+84905333446");
        twilio.twiml("/twilio/voice/status", TwilioWebhooks.voice(gone, "+84905333446", "completed", Map.of("CallDuration", "40")));

        assertThat(callerCall(quiet)).containsEntry("outcome", "REFERENCE_GIVEN").containsEntry("ended", true)
                .containsEntry("texts", 0L);
        assertThat(callerCall(gone)).as("not an abandonment").containsEntry("outcome", "REFERENCE_GIVEN")
                .containsEntry("ended", true).containsEntry("texts", 0L);
    }
}
