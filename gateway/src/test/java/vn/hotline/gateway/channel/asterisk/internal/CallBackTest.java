package vn.hotline.gateway.channel.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hotline.gateway.channel.asterisk.internal.AmiTestSupport.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
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
import vn.hotline.gateway.channel.asterisk.simulator.AmiRecording;
import vn.hotline.gateway.channel.asterisk.simulator.AmiRecording.AmiMessage;
import vn.hotline.gateway.channel.asterisk.simulator.AmiSimulator;
import vn.hotline.gateway.channel.asterisk.simulator.AmiSimulator.AmiAction;
import vn.hotline.gateway.privacy.CallerId;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.gateway.routing.RosterService;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.Urgency;

/**
 * A call-back against the simulated Asterisk: Originate to the officer, the officer presses 1, Originate of the child
 * into a Bridge with the officer, the outcome recorded with who authorised it, the child's number never logged. The
 * officer's leg replays the recorded Originate session ({@code ami-login-and-originate}); the confirmation UserEvent,
 * and the bridge events (taken from {@code dial-answered} and renamed to the call-back's channels) are synthetic.
 */
@GatewayTest
@Import(MutableClock.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class CallBackTest {

    static final AmiSimulator ASTERISK = AmiTestSupport.simulator();
    private static final String PLANTED = "0977 123 456";
    private static final String PLANTED_DIGITS = "977123456";
    private static final String OFFICER_DIGITS = "912000550";
    private static final AtomicLong UNIQUE = new AtomicLong(1795862000);

    @DynamicPropertySource
    static void ami(DynamicPropertyRegistry registry) {
        AmiTestSupport.properties(registry, ASTERISK);
    }

    @AfterAll
    static void stop() throws Exception {
        ASTERISK.close();
    }

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    CaseService cases;
    @Autowired
    RosterService roster;
    @Autowired
    PersonalData personalData;
    @Autowired
    PasswordEncoder passwords;
    @Autowired
    MutableClock clock;

    @BeforeEach
    void province() {
        CaseFixtures.ensureProvince(roster, db, passwords);
        clock.set(MutableClock.Config.START);
        await("the AMI login", Duration.ofSeconds(10), () -> ASTERISK.loggedInSessions() == 1);
    }

    /** A case opened from an Asterisk call whose caller hung up before reaching a person. */
    private String abandonedCase(Urgency urgency) {
        UUID callId = UUID.randomUUID();
        ProtectedNumber caller = personalData.protect((CallerId.Number) personalData.identify(PLANTED), DataField.CALLER_NUMBER);
        db.sql("""
                        INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, caller_hash, caller_cipher, caller_key_id,
                                           caller_masked, started_at, answered_at, ivr_path, outcome, abandoned_at_node, ended_at)
                        VALUES (:id, 'ASTERISK_VOICE', 'asterisk', :key, 'NUMBER', :hash, :cipher, :keyId, :masked, :at, :at,
                                '{greeting,danger}', 'ABANDONED', 'danger', :at)""")
                .bind("id", callId).bind("key", AmiTestSupport.SYSTEM + "/" + UNIQUE.incrementAndGet() + ".1")
                .bind("hash", caller.lookupHash()).bind("cipher", caller.ciphertext()).bind("keyId", caller.keyId())
                .bind("masked", caller.masked()).bind("at", clock.instant().atOffset(ZoneOffset.UTC))
                .then().block();
        return cases.open(new CaseIntake(CaseFixtures.triage(urgency, Category.CYBERBULLYING, new LocationHint.FormerDistrict("550")),
                clock.instant(), Optional.of(callId))).block().reference();
    }

    private static AmiMessage renamed(AmiMessage m, Map<String, String> values, AmiAction action, long shiftMicros) {
        AmiMessage out = m.withValues(values).shifted(shiftMicros);
        return new AmiMessage(out.text().replace("ActionID: orig-1\r\n", "ActionID: " + action.get("ActionID") + "\r\n")
                .replace("ActionID: orig-2\r\n", "ActionID: " + action.get("ActionID") + "\r\n"));
    }

    /** The officer answers (recorded Originate), then presses 1 (synthetic UserEvent). */
    private static List<AmiMessage> officerAnswersAndConfirms(AmiAction action) {
        String id = action.get("ChannelId");
        List<AmiMessage> out = new ArrayList<>();
        for (AmiMessage m : AmiRecording.load("ami-login-and-originate/ami.txt").events()) {
            if (!"Hangup".equals(m.event()) && !"Cdr".equals(m.event()) && m.text().contains("hotline-orig-0001")) {
                out.add(renamed(m, Map.of("hotline-orig-0001", id), action, 0));
            }
        }
        String callback = action.all("Variable").stream().filter(v -> v.startsWith("HOTLINE_CALLBACK=")).findFirst().orElseThrow()
                .substring("HOTLINE_CALLBACK=".length());
        out.add(new AmiMessage("Event: UserEvent\r\nPrivilege: user,all\r\nTimestamp: 1795861737.100000\r\n"
                + "Channel: PJSIP/officer-00000018\r\nChannelState: 6\r\nChannelStateDesc: Up\r\nCallerIDNum: 1111\r\n"
                + "CallerIDName: Hotline\r\nLanguage: en\r\nContext: hotline-callback\r\nExten: s\r\nPriority: 6\r\n"
                + "Uniqueid: " + id + "\r\nLinkedid: " + id + "\r\nUserEvent: CallBackConfirm\r\nCallback: " + callback
                + "\r\nResult: CONFIRMED\r\n"));
        return out;
    }

    /** The child answers (the recorded Originate renamed) and Bridge() puts both in one bridge (dial-answered's). */
    private static List<AmiMessage> childAnswersAndIsBridged(AmiAction action, String officerId) {
        String id = action.get("ChannelId");
        List<AmiMessage> out = new ArrayList<>();
        Map<String, String> child = Map.of("hotline-orig-0001", id, "PJSIP/officer-00000018", "PJSIP/hotline-trunk-00000020");
        for (AmiMessage m : AmiRecording.load("ami-login-and-originate/ami.txt").events()) {
            if (!"Hangup".equals(m.event()) && !"Cdr".equals(m.event()) && m.text().contains("hotline-orig-0001")) {
                out.add(renamed(m, child, action, 5_000_000));
            }
        }
        Map<String, String> bridge = Map.of("1795861410.4", officerId, "PJSIP/officer-00000004", "PJSIP/officer-00000018",
                "1795861410.3", id, "PJSIP/sipp-00000003", "PJSIP/hotline-trunk-00000020");
        for (AmiMessage m : AmiRecording.load("dial-answered/ami.txt").events()) {
            if ("BridgeEnter".equals(m.event())) {
                out.add(m.withValues(bridge).shifted(330_000_000));
            }
        }
        return out;
    }

    /** Both leave the bridge and hang up (dial-answered's events, renamed). */
    private static List<AmiMessage> conversationEnds(String officerId, String childId) {
        Map<String, String> names = Map.of("1795861410.4", officerId, "PJSIP/officer-00000004", "PJSIP/officer-00000018",
                "1795861410.3", childId, "PJSIP/sipp-00000003", "PJSIP/hotline-trunk-00000020");
        return AmiRecording.load("dial-answered/ami.txt").events().stream()
                .filter(m -> "BridgeLeave".equals(m.event()) || "Hangup".equals(m.event()))
                .map(m -> m.withValues(names).shifted(330_000_000)).toList();
    }

    private String state(String id) {
        return db.sql("SELECT concat_ws(' | ', state, coalesce(outcome, '-')) FROM callbacks WHERE id = :id::uuid").bind("id", id)
                .map(r -> r.get(0, String.class)).one().block();
    }

    private String request(String user, String reference, String body) {
        return CaseFixtures.as(web, user).post().uri("/api/cases/{ref}/callbacks", reference)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectBody().jsonPath("$.state").isEqualTo("REQUESTED")
                .returnResult().getResponseBodyContent() == null ? null : idOf(reference);
    }

    private String idOf(String reference) {
        return db.sql("SELECT b.id::text FROM callbacks b JOIN cases k ON k.id = b.case_id WHERE k.reference = :r ORDER BY attempt DESC LIMIT 1")
                .bind("r", reference).map(r -> r.get(0, String.class)).one().block();
    }

    @Test
    void theOfficerIsCalledFirstThenTheChildBridgedAndTheNumberIsNeverLogged(CapturedOutput output) {
        String reference = abandonedCase(Urgency.IMMEDIATE);
        ASTERISK.onOriginate((sim, action) -> {
            if (action.get("ChannelId").endsWith("-o")) {
                sim.play(officerAnswersAndConfirms(action));
            } else {
                sim.play(childAnswersAndIsBridged(action, action.get("ChannelId").replaceAll("-c$", "-o")));
            }
        });

        String id = request("officer.550", reference, "{}");

        await("the bridge", Duration.ofSeconds(15), () -> "CONNECTED | -".equals(state(id)));
        ASTERISK.play(conversationEnds(AmiCallBacks.CHANNEL_PREFIX + id + "-o", AmiCallBacks.CHANNEL_PREFIX + id + "-c"));
        await("the end", Duration.ofSeconds(10), () -> "ENDED | CONNECTED".equals(state(id)));

        List<AmiAction> originates = ASTERISK.actions().stream()
                .filter(a -> "Originate".equalsIgnoreCase(a.name()) && a.get("ChannelId").contains(id)).toList();
        assertThat(originates).hasSize(2);
        assertThat(originates.get(0).get("Channel")).isEqualTo("PJSIP/+84912000550@hotline-trunk");
        assertThat(originates.get(0).get("Context")).isEqualTo("hotline-callback");
        assertThat(originates.get(0).get("ChannelId")).isEqualTo(AmiCallBacks.CHANNEL_PREFIX + id + "-o");
        assertThat(originates.get(1).get("Channel")).isEqualTo("PJSIP/+84977123456@hotline-trunk");
        assertThat(originates.get(1).get("Application")).isEqualTo("Bridge");
        assertThat(originates.get(1).get("Data")).isEqualTo("PJSIP/officer-00000018");
        assertThat(db.sql("""
                        SELECT concat_ws(' | ', attempt, authorised_by, night_override::text, (officer_answered_at IS NOT NULL)::text,
                                         (confirmed_at IS NOT NULL)::text, (connected_at IS NOT NULL)::text, (ended_at IS NOT NULL)::text)
                        FROM callbacks WHERE id = :id::uuid""").bind("id", id).map(r -> r.get(0, String.class)).one().block())
                .isEqualTo("1 | officer.550 | false | true | true | true | true");
        assertThat(db.sql("SELECT string_agg(action || ':' || actor_type || ':' || actor_id, ',' ORDER BY id) FROM audit_events WHERE action LIKE 'CALLBACK_%'")
                .map(r -> r.get(0, String.class)).one().block())
                .contains("CALLBACK_REQUESTED:USER:officer.550").contains("CALLBACK_ENDED:PROVIDER:asterisk");
        CaseFixtures.as(web, "officer.550").get().uri("/api/cases/{ref}/callbacks", reference).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[0].outcome").isEqualTo("CONNECTED").jsonPath("$[0].authorisedBy").isEqualTo("officer.550");
        assertThat(output.getAll()).contains("call-back " + id).doesNotContain(PLANTED_DIGITS).doesNotContain(OFFICER_DIGITS);
    }

    @Test
    void aBusyOfficerEndsTheAttemptWithoutDiallingTheChild() {
        String reference = abandonedCase(Urgency.HIGH);
        ASTERISK.onOriginate((sim, action) -> sim.play(AmiRecording.load("ami-login-and-originate/ami-originate-busy.txt").events().stream()
                .filter(m -> m.text().contains("hotline-orig-0002"))
                .map(m -> renamed(m, Map.of("hotline-orig-0002", action.get("ChannelId")), action, 0)).toList()));
        String id = request("officer.550", reference, "{}");

        await("the outcome", Duration.ofSeconds(15), () -> "ENDED | OFFICER_BUSY".equals(state(id)));
        assertThat(ASTERISK.actions().stream()
                .filter(a -> "Originate".equalsIgnoreCase(a.name()) && a.get("ChannelId").contains(id))
                .map(a -> a.get("ChannelId"))).containsExactly(AmiCallBacks.CHANNEL_PREFIX + id + "-o");
    }

    @Test
    void atNightACaseThatIsNotUrgentIsCalledBackOnlyWhenTheOfficerDecides() {
        String reference = abandonedCase(Urgency.NORMAL);
        ASTERISK.onOriginate((sim, action) -> { });
        clock.set(Instant.parse("2026-02-12T16:30:00Z"));

        CaseFixtures.as(web, "officer.550").post().uri("/api/cases/{ref}/callbacks", reference)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:callback-night");
        String id = request("officer.550", reference, "{\"nightOverride\": true}");

        assertThat(db.sql("SELECT night_override::text FROM callbacks WHERE id = :id::uuid").bind("id", id)
                .map(r -> r.get(0, String.class)).one().block()).isEqualTo("true");
    }

    @Test
    void noMoreThanTheConfiguredAttemptsPerCase() {
        String reference = abandonedCase(Urgency.HIGH);
        ASTERISK.onOriginate((sim, action) -> sim.play(AmiRecording.load("ami-login-and-originate/ami-originate-busy.txt").events().stream()
                .filter(m -> m.text().contains("hotline-orig-0002"))
                .map(m -> renamed(m, Map.of("hotline-orig-0002", action.get("ChannelId")), action, 0)).toList()));
        for (int attempt = 1; attempt <= 3; attempt++) {
            String id = request("officer.550", reference, "{}");
            await("attempt " + id, Duration.ofSeconds(15), () -> "ENDED | OFFICER_BUSY".equals(state(id)));
        }

        CaseFixtures.as(web, "officer.550").post().uri("/api/cases/{ref}/callbacks", reference)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.type").isEqualTo("urn:hotline:problem:callback-attempts-exhausted");
    }

    @Test
    void anOfficerOfAnotherAreaCannotAskForACallBack() {
        String reference = abandonedCase(Urgency.HIGH);

        CaseFixtures.as(web, "officer.540").post().uri("/api/cases/{ref}/callbacks", reference)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange().expectStatus().isNotFound();
    }
}
