package vn.hotline.gateway.channel.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Sinks;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;
import vn.hotline.gateway.cases.CaseFixtures;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;
import vn.hotline.gateway.routing.RosterService;

/** Whole calls over the real FastAGI port, Asterisk played by the simulator, checked on the wire and in PostgreSQL. */
@GatewayTest
@Import(MutableClock.Config.class)
@ExtendWith(OutputCaptureExtension.class)
class AsteriskIvrTest {

    static final int PORT = AsteriskTestSupport.freePort();

    @DynamicPropertySource
    static void asterisk(DynamicPropertyRegistry registry) {
        AsteriskTestSupport.properties(registry, PORT);
        // The 111 rung dials the switchboard's voice target, not a setting of this channel.
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

    @BeforeEach
    void province() throws Exception {
        clock.set(MutableClock.Config.START);
        CaseFixtures.ensureProvince(roster, db, passwords);
        AsteriskTestSupport.awaitListening(PORT);
    }

    private record Call(String uniqueId, AgiSimulator.Result wire) {
        String callKey() {
            return "pbx-test/" + uniqueId;
        }
    }

    private Call call(String keys) throws Exception {
        return call(AgiSimulator.Caller.class.cast(Keypad.of(keys)), "+84905123456", "vi");
    }

    private Call call(AgiSimulator.Caller caller, String callerId, String language) throws Exception {
        String id = AsteriskTestSupport.nextUniqueId();
        return new Call(id, AsteriskTestSupport.asterisk(PORT)
                .call(AgiSimulator.environment("ivr?flow=triage", id, callerId, language), caller));
    }

    private Map<String, Object> callRow(Call call) {
        return db.sql("""
                        SELECT c.outcome, c.abandoned_at_node, c.ended_at IS NOT NULL AS ended, c.caller_kind,
                               array_to_string(c.ivr_path, ' ') AS path,
                               (SELECT k.urgency FROM cases k WHERE k.call_id = c.id) AS case_urgency,
                               (SELECT k.reference FROM cases k WHERE k.call_id = c.id) AS reference,
                               (SELECT count(*) FROM call_dial_attempts a WHERE a.call_id = c.id) AS rungs
                        FROM calls c WHERE c.provider = 'asterisk' AND c.provider_call_id = :key""")
                .bind("key", call.callKey()).fetch().one().block();
    }

    @Test
    void pressingOneReachesTheTransferWithExactlyOnePromptAfterTheKeyAndHandsTheLadderToTheDialplan() throws Exception {
        Call call = call("1");

        List<String> commands = call.wire().commands();
        int keyPress = commands.indexOf("GET DATA \"hotline/vi/menu-greeting\" 6000 1");
        List<String> after = commands.subList(keyPress + 1, commands.size());
        assertThat(after.stream().filter(c -> c.startsWith("STREAM FILE") || c.startsWith("GET DATA")))
                .containsExactly("STREAM FILE \"hotline/vi/transfer-danger\" \"\"");
        assertThat(call.wire().variables()).containsEntry("HOTLINE_DONE", "1").doesNotContainKey("HOTLINE_FALLBACK")
                .containsEntry("HOTLINE_RUNG_COUNT", "4")
                .containsEntry("HOTLINE_RUNG_1", "PJSIP/+84912000111@hotline-trunk")
                .containsEntry("HOTLINE_RUNG_2", "PJSIP/+84912000999@hotline-trunk")
                .containsEntry("HOTLINE_RUNG_3", "PJSIP/111@national-trunk")
                .containsEntry("HOTLINE_RUNG_4", "PJSIP/+84912000999@hotline-trunk")
                .containsEntry("HOTLINE_RUNG_1_TIMEOUT", "20");
        assertThat(call.wire().variable("HOTLINE_CASE")).matches("BD-2026-\\d{6}");
        assertThat(commands.indexOf("SET VARIABLE \"HOTLINE_DONE\" \"1\"")).isGreaterThan(commands.indexOf(
                "SET VARIABLE \"HOTLINE_RUNG_COUNT\" \"4\""));
        assertThat(call.wire().closedBy()).isEqualTo("server");
        Map<String, Object> row = callRow(call);
        assertThat(row).containsEntry("outcome", "TRANSFERRING").containsEntry("case_urgency", "IMMEDIATE")
                .containsEntry("rungs", 4L).containsEntry("reference", call.wire().variable("HOTLINE_CASE"));
        assertThat(db.sql("SELECT string_agg(rung_kind, ' ' ORDER BY step) FROM call_dial_attempts a JOIN calls c ON c.id = a.call_id WHERE c.provider_call_id = :k")
                .bind("k", call.callKey()).map(r -> r.get(0, String.class)).one().block())
                .isEqualTo("EMERGENCY_ON_CALL DUTY_SUPERVISOR NATIONAL_111 DUTY_AGAIN");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            bullying, teacher              | 3 5 3 18 3 - | REFERENCE_GIVEN
            online scam, child             | 4 3 31 1 -   | REFERENCE_GIVEN
            harmful content, child         | 5 2 47 2     | REFERENCE_GIVEN
            privacy leak, child            | 6 3 12 1 -   | REFERENCE_GIVEN
            online sexual abuse, child     | 2 2 20 1   | TRANSFERRING
            violence, child                | 7 1 2 20   | TRANSFERRING
            need to talk                   | 8 1 2      | TRANSFERRING
            information for parents        | 8 2        | INFORMATION_GIVEN
            zero reaches a person          | 0          | TRANSFERRING
            silence twice reaches a person | - -        | TRANSFERRING
            """)
    void everyCategoryPathEndsOnPurposeWithHotlineDone(String path, String keys, String outcome) throws Exception {
        Call call = call(keys);

        assertThat(call.wire().variables()).containsEntry("HOTLINE_DONE", "1").doesNotContainKey("HOTLINE_FALLBACK");
        assertThat(callRow(call)).containsEntry("outcome", outcome);
        if (outcome.equals("REFERENCE_GIVEN")) {
            String reference = (String) callRow(call).get("reference");
            List<String> commands = call.wire().commands();
            assertThat(commands).contains("STREAM FILE \"hotline/vi/end-reference\" \"\"",
                    "STREAM FILE \"hotline/vi/char-" + reference.charAt(reference.length() - 1) + "\" \"\"");
            assertThat(commands.get(commands.size() - 2)).isEqualTo("HANGUP");
            assertThat(commands).as("the reference is read in full, no key can cut it")
                    .noneMatch(c -> c.startsWith("STREAM FILE \"hotline/vi/char-") && !c.endsWith("\"\""));
            assertThat(callRow(call)).containsEntry("ended", true);
        }
    }

    /**
     * Holds a SHARE lock on {@code cases} (every case's insert waits) on a connection of its own until the returned
     * action runs.
     */
    private Runnable casesLocked() throws InterruptedException {
        CountDownLatch locked = new CountDownLatch(1);
        Sinks.Empty<Void> release = Sinks.empty();
        tx.transactional(db.sql("LOCK TABLE cases IN SHARE MODE").then()
                        .doOnSuccess(v -> locked.countDown())
                        .then(release.asMono()))
                .subscribe();
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        return release::tryEmitEmpty;
    }

    /** A keypad caller that runs {@code atFile} when Asterisk is told to stream a file. */
    private static AgiSimulator.Caller hearing(Keypad keys, Consumer<String> atFile) {
        return new AgiSimulator.Caller() {
            @Override
            public AgiSimulator.Action getData(String file, int maxDigits) {
                return keys.getData(file, maxDigits);
            }

            @Override
            public AgiSimulator.Action stream(String file) {
                atFile.accept(file);
                return AgiSimulator.Action.keys("");
            }
        };
    }

    @Test
    void theReferenceIsReadOutOnlyOnceItsCaseIsStoredWhileItsFirstWordsPlayDuringTheWrite() throws Exception {
        Runnable release = casesLocked();
        AtomicBoolean storedAtFirstCharacter = new AtomicBoolean();
        AtomicBoolean charactersWhileLocked = new AtomicBoolean();
        AtomicBoolean released = new AtomicBoolean();
        String id = AsteriskTestSupport.nextUniqueId();
        AgiSimulator.Caller caller = hearing(Keypad.of("3 2 20 1 -"), file -> {
            if (file.endsWith("/end-reference")) {
                // The case's insert is waiting on the lock while the prompt's first words play; let it go later.
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> {
                    released.set(true);
                    release.run();
                });
            } else if (file.contains("/char-") && !storedAtFirstCharacter.get()) {
                charactersWhileLocked.compareAndSet(false, !released.get());
                storedAtFirstCharacter.set(db.sql("""
                                SELECT count(*) FROM cases k JOIN calls c ON c.id = k.call_id
                                WHERE c.provider = 'asterisk' AND c.provider_call_id = :key""")
                        .bind("key", "pbx-test/" + id).map(r -> r.get(0, Long.class)).one().block() == 1);
            }
        });
        try {
            Call call = new Call(id, AsteriskTestSupport.asterisk(PORT)
                    .call(AgiSimulator.environment("ivr?flow=triage", id, "+84905123456", "vi"), caller));

            assertThat(charactersWhileLocked).as("no character of the reference while its case could not be written").isFalse();
            assertThat(storedAtFirstCharacter).as("the case exists when its first character is read").isTrue();
            assertThat(call.wire().variables()).containsEntry("HOTLINE_DONE", "1").doesNotContainKey("HOTLINE_FALLBACK");
            assertThat(callRow(call)).containsEntry("outcome", "REFERENCE_GIVEN");
        } finally {
            release.run();
        }
    }

    @Test
    void aCaseThatCannotBeStoredWithinTheBudgetSendsTheCallerToAPersonBeforeAnyCharacterOfItsReference() throws Exception {
        Runnable release = casesLocked();
        try {
            Call call = call("3 2 20 1 -");

            List<String> commands = call.wire().commands();
            assertThat(commands).contains("STREAM FILE \"hotline/vi/end-reference\" \"\"")
                    .noneMatch(c -> c.startsWith("STREAM FILE \"hotline/vi/char-"));
            assertThat(call.wire().variables()).containsEntry("HOTLINE_FALLBACK", "1").doesNotContainKey("HOTLINE_DONE");
        } finally {
            release.run();
        }
    }

    @Test
    void aCallerWhoPressesOneAtTheOfferGetsTheReferenceByTextThroughTheOutboxAndTheCallEndsOnPurpose() throws Exception {
        Call call = call("4 3 31 1 1");

        List<String> commands = call.wire().commands();
        assertThat(commands).contains("STREAM FILE \"hotline/vi/end-text-sent\" \"\"");
        assertThat(call.wire().variables()).containsEntry("HOTLINE_DONE", "1");
        assertThat(callRow(call)).containsEntry("outcome", "REFERENCE_GIVEN").containsEntry("ended", true);
        assertThat(db.sql("""
                        SELECT count(*) FROM outbox o JOIN calls c ON o.payload->>'callId' = c.id::text
                        WHERE o.destination = 'caller-notify' AND c.provider_call_id = :key""")
                .bind("key", call.callKey()).map(r -> r.get(0, Long.class)).one().block()).isEqualTo(1);
    }

    @Test
    void aCallerWhoHangsUpWhileHearingTheTextIsSentGetsTheTextAndTheCallIsRecordedOnceAsReferenceGiven() throws Exception {
        Keypad keys = Keypad.of("4 3 31 1 1");
        AgiSimulator.Caller leaves = new AgiSimulator.Caller() {
            @Override
            public AgiSimulator.Action getData(String file, int maxDigits) {
                return keys.getData(file, maxDigits);
            }

            @Override
            public AgiSimulator.Action stream(String file) {
                return file.endsWith("end-text-sent") ? AgiSimulator.Action.hangUp() : AgiSimulator.Action.keys("");
            }
        };

        Call call = call(leaves, "+84905123456", "vi");

        assertThat(call.wire().variables()).doesNotContainKeys("HOTLINE_DONE", "HOTLINE_FALLBACK");
        assertThat(callRow(call)).containsEntry("outcome", "REFERENCE_GIVEN").containsEntry("ended", true);
        assertThat(db.sql("""
                        SELECT (SELECT count(*) FROM outbox o WHERE o.destination = 'caller-notify' AND o.payload->>'callId' = c.id::text)
                               + 100 * (SELECT count(*) FROM audit_events a WHERE a.action = 'CALL_ENDED' AND a.subject_id = c.id::text)
                        FROM calls c WHERE c.provider_call_id = :key""")
                .bind("key", call.callKey()).map(r -> r.get(0, Long.class)).one().block())
                .as("one text queued and one CALL_ENDED").isEqualTo(101);
    }

    @ParameterizedTest(name = "hang-up at {0}")
    @CsvSource(delimiter = '|', textBlock = """
            greeting | hangup
            who      | 2 hangup
            age      | 3 4 hangup
            district | 7 1 2 hangup
            followup | 3 2 18 hangup
            offline  | 7 hangup
            police   | 2 2 20 hangup
            support  | 8 hangup
            callback | 4 2 31 hangup
            """)
    void aHangUpAtAnyNodeEndsTheSessionAndRecordsTheCallAbandonedThere(String node, String keys) throws Exception {
        Call call = call(keys);

        assertThat(call.wire().variables()).doesNotContainKeys("HOTLINE_DONE", "HOTLINE_FALLBACK");
        assertThat(call.wire().closedBy()).isEqualTo("server");
        Map<String, Object> row = callRow(call);
        assertThat(row).containsEntry("outcome", "ABANDONED").containsEntry("abandoned_at_node", node)
                .containsEntry("ended", true);
    }

    @Test
    void aChildWhoHangsUpAfterPressingOneIsStillAnUrgentCaseForCallBack() throws Exception {
        AgiSimulator.Caller goneDuringConnectingLine = new AgiSimulator.Caller() {
            private final Keypad keys = Keypad.of("1");

            @Override
            public AgiSimulator.Action getData(String file, int maxDigits) {
                return keys.getData(file, maxDigits);
            }

            @Override
            public AgiSimulator.Action stream(String file) {
                return AgiSimulator.Action.hangUp();
            }
        };
        Call call = call(goneDuringConnectingLine, "+84905123456", "vi");

        assertThat(call.wire().variables()).doesNotContainKey("HOTLINE_DONE");
        assertThat(callRow(call)).containsEntry("outcome", "ABANDONED").containsEntry("abandoned_at_node", "danger")
                .containsEntry("case_urgency", "IMMEDIATE");
    }

    @Test
    void a511AfterTheHangUpLineEndsTheCallWithoutAnotherChannelCommand() throws Exception {
        Call call = call("2 gone");

        List<String> transcript = call.wire().transcript();
        assertThat(transcript).containsSubsequence("<< HANGUP", "<< " + AgiSimulator.DEAD_CHANNEL);
        List<String> afterDead = transcript.subList(transcript.indexOf("<< " + AgiSimulator.DEAD_CHANNEL) + 1,
                transcript.size());
        assertThat(afterDead.stream().filter(l -> l.startsWith(">> ")))
                .allMatch(l -> l.startsWith(">> SET VARIABLE \"AJ_AGISTATUS\""));
        assertThat(callRow(call)).containsEntry("outcome", "ABANDONED").containsEntry("abandoned_at_node", "who")
                .containsEntry("case_urgency", "HIGH");
    }

    @Test
    void theSocketClosedByAsteriskMidMenuEndsTheSessionAsAbandonedAndTheServerServesTheNextCall() throws Exception {
        Call closed = call("3 close");

        assertThat(closed.wire().closedBy()).isEqualTo("asterisk");
        for (int i = 0; i < 30 && callRow(closed).get("outcome") == null; i++) {
            Thread.sleep(100);
        }
        assertThat(callRow(closed)).containsEntry("outcome", "ABANDONED").containsEntry("abandoned_at_node", "who");
        assertThat(call("1").wire().variables()).containsEntry("HOTLINE_DONE", "1");
    }

    @Test
    void aConnectionFromAnAddressNotAllowedIsClosedBeforeAnyCommand() throws Exception {
        AgiSimulator stranger = new AgiSimulator("127.0.0.1", PORT, java.time.Duration.ofSeconds(5), "127.0.0.3");
        AgiSimulator.Result result = stranger.call(AgiSimulator.environment("ivr", "1795861999.9", "sipp", "vi"),
                Keypad.of("1"));

        assertThat(result.commands()).isEmpty();
        assertThat(result.closedBy()).isEqualTo("server");
        assertThat(db.sql("SELECT count(*) FROM calls WHERE provider_call_id = 'pbx-test/1795861999.9'")
                .map(r -> r.get(0, Long.class)).one().block()).isZero();
    }

    @Test
    void malformedEnvironmentBlocksAreRefusedClearlyWhileOtherCallsAreServed() throws Exception {
        String real = AgiSimulator.environment("ivr?flow=triage", "1795861400.1", "sipp", "vi");
        String noUniqueId = real.replace("agi_uniqueid: 1795861400.1\n", "");
        String garbage = "GARBAGE WITHOUT COLON\n\u0000\u0001 binary\nagi_uniqueid: not-a-number\n" + real.substring(real.indexOf('\n') + 1)
                .replace("agi_uniqueid: 1795861400.1\n", "");
        String hugeLine = real.replace("agi_calleridname: SIPp Caller", "agi_calleridname: " + "x".repeat(1024 * 1024));

        for (String environment : List.of(noUniqueId, garbage, hugeLine)) {
            AgiSimulator.Result refused = AsteriskTestSupport.asterisk(PORT).call(environment, Keypad.of("1"));
            assertThat(refused.commands()).first().isEqualTo("SET VARIABLE \"HOTLINE_FALLBACK\" \"1\"");
            assertThat(refused.variables()).doesNotContainKey("HOTLINE_DONE");
            assertThat(refused.closedBy()).isEqualTo("server");
        }
        assertThat(db.sql("SELECT count(*) FROM calls WHERE provider_call_id LIKE '%1795861400.1'")
                .map(r -> r.get(0, Long.class)).one().block()).isZero();
        assertThat(call("1").wire().variables()).containsEntry("HOTLINE_DONE", "1");
    }

    @Test
    void keysPressedDuringARetryPromptAnswerTheMenuWithoutReplayingIt() throws Exception {
        AgiSimulator.Caller interrupts = new AgiSimulator.Caller() {
            private final Keypad keys = Keypad.of("9");
            private boolean pressed;

            @Override
            public AgiSimulator.Action getData(String file, int maxDigits) {
                return keys.getData(file, maxDigits);
            }

            @Override
            public AgiSimulator.Action stream(String file) {
                if (!pressed && file.endsWith("invalid")) {
                    pressed = true;
                    return AgiSimulator.Action.keys("1");
                }
                return AgiSimulator.Action.keys("");
            }
        };
        Call call = call(interrupts, "+84905123456", "en");

        assertThat(call.wire().commands()).containsSubsequence("GET DATA \"hotline/en/menu-greeting\" 6000 1",
                "STREAM FILE \"hotline/en/common-invalid\" \"0123456789*#\"", "STREAM FILE \"hotline/en/transfer-danger\" \"\"");
        assertThat(call.wire().variables()).containsEntry("HOTLINE_DONE", "1");
    }

    private AgiSimulator.Result dialResult(Call call, int step, String dialStatus, String answeredTime) throws Exception {
        // The shipped dialplan passes HOTLINE_ACCEPTED (the rung, set by hotline-accept) for a rung someone took.
        String accepted = "ANSWER".equals(dialStatus) && !answeredTime.isEmpty() ? Integer.toString(step) : "";
        return AsteriskTestSupport.asterisk(PORT).call(AgiSimulator.environment("dial-result", call.uniqueId(),
                "+84905123456", Integer.toString(step), dialStatus, answeredTime, accepted), Keypad.of(""));
    }

    private String attempts(Call call) {
        return db.sql("""
                        SELECT string_agg(a.step || ':' || coalesce(a.dial_status, '-') || ':' || coalesce(a.accepted::text, '-'),
                                          ' ' ORDER BY a.step)
                        FROM call_dial_attempts a JOIN calls c ON c.id = a.call_id WHERE c.provider_call_id = :k""")
                .bind("k", call.callKey()).map(r -> r.get(0, String.class)).one().block();
    }

    @Test
    void dialResultsRecordEachRungAndTheOfficerWhoAcceptedWhileAnAnswerWithoutAcceptingDoesNotCount() throws Exception {
        Call call = call("1");

        assertThat(dialResult(call, 1, "ANSWER", "").variables()).containsEntry("HOTLINE_DONE", "1");
        assertThat(callRow(call)).containsEntry("outcome", "TRANSFERRING");
        dialResult(call, 2, "ANSWER", "12");

        assertThat(attempts(call)).isEqualTo("1:ANSWER:false 2:ANSWER:true 3:-:- 4:-:-");
        assertThat(callRow(call)).containsEntry("outcome", "CONNECTED");
        assertThat(db.sql("SELECT accepted_by_officer_id FROM calls WHERE provider_call_id = :k").bind("k", call.callKey())
                .map(r -> r.get(0, java.util.UUID.class)).one().block()).isEqualTo(CaseFixtures.officerId(db, "sup1"));
        assertThat(db.sql("""
                        SELECT count(*) FROM audit_events e JOIN calls c ON e.subject_id = c.id::text
                        WHERE c.provider_call_id = :k AND e.action = 'TRANSFER_ATTEMPTED'""").bind("k", call.callKey())
                .map(r -> r.get(0, Long.class)).one().block()).isEqualTo(2);
    }

    @Test
    void whenTheCallerIsPutThroughTo111TheCaseFollowsAsAReferralThroughTheSwitchboardOutbox() throws Exception {
        Call call = call("1");

        dialResult(call, 1, "NOANSWER", "");
        dialResult(call, 2, "BUSY", "");
        assertThat(db.sql("SELECT count(*) FROM referrals r JOIN cases c ON c.id = r.case_id WHERE c.reference = :ref "
                        + "AND r.target = 'SWITCHBOARD_111'").bind("ref", callRow(call).get("reference"))
                .map(r -> r.get(0, Long.class)).one().block()).as("no hand-off yet").isZero();
        dialResult(call, 3, "ANSWER", "45");
        dialResult(call, 3, "ANSWER", "45");

        String reference = (String) callRow(call).get("reference");
        Map<String, Object> referral = db.sql("""
                        SELECT r.state, r.idempotency_key, o.message_type, o.payload->>'handOff' AS hand_off,
                               o.payload->>'caseReference' AS case_reference, o.payload->>'urgency' AS urgency
                        FROM referrals r JOIN cases c ON c.id = r.case_id JOIN outbox o ON o.idempotency_key = r.idempotency_key
                        WHERE c.reference = :ref AND r.target = 'SWITCHBOARD_111' AND o.destination = 'switchboard-111'""")
                .bind("ref", reference).fetch().all().collectList().block().stream().reduce((a, b) -> {
                    throw new AssertionError("one referral per hand-off, got more");
                }).orElseThrow();
        assertThat(referral).containsEntry("state", "PENDING").containsEntry("message_type", "referral.create")
                .containsEntry("hand_off", "VOICE").containsEntry("case_reference", reference).containsEntry("urgency", "IMMEDIATE");
        assertThat(callRow(call)).containsEntry("outcome", "CONNECTED");
    }

    @Test
    void whenNoRungAcceptsUpTo111AndTheDutyPhoneAgainTheCallNeedsAnUrgentCallBack() throws Exception {
        Call call = call("1");

        dialResult(call, 1, "NOANSWER", "");
        dialResult(call, 2, "BUSY", "");
        dialResult(call, 3, "CONGESTION", "");
        assertThat(callRow(call)).containsEntry("outcome", "TRANSFERRING");
        dialResult(call, 4, "BUSY", "");

        assertThat(attempts(call)).isEqualTo("1:NOANSWER:false 2:BUSY:false 3:CONGESTION:false 4:BUSY:false");
        assertThat(callRow(call)).containsEntry("outcome", "CALLBACK_URGENT").containsEntry("case_urgency", "IMMEDIATE");
    }

    @Test
    void aDialResultForAnUnknownCallOrStatusIsRefusedWithoutHotlineDone() throws Exception {
        Call call = call("1");

        assertThat(dialResult(call, 1, "MAYBE", "").variables()).doesNotContainKey("HOTLINE_DONE");
        assertThat(AsteriskTestSupport.asterisk(PORT).call(AgiSimulator.environment("dial-result", "1795869999.1",
                "sipp", "1", "BUSY", ""), Keypad.of("")).variables()).doesNotContainKey("HOTLINE_DONE");
        assertThat(attempts(call)).startsWith("1:-:-");
    }

    @Test
    void aPlantedCallerNumberIsNowhereInClearAfterCallsThroughThisChannel(CapturedOutput output) throws Exception {
        String planted = "+84 976 540 321";
        String digits = "976540321";
        call(AgiSimulator.Caller.class.cast(Keypad.of("3 2 20 1 1")), planted, "vi");
        call(AgiSimulator.Caller.class.cast(Keypad.of("1")), "0976540321", "vi");
        call(AgiSimulator.Caller.class.cast(Keypad.of("4 hangup")), "84976540321", "vi");

        List<String> tables = db.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")
                .map(r -> r.get(0, String.class)).all().collectList().block();
        for (String table : tables) {
            String dump = String.join("\n", db.sql("SELECT row_to_json(t)::text FROM " + table + " t")
                    .map(r -> r.get(0, String.class)).all().collectList().block());
            assertThat(dump).as(table).doesNotContain(digits)
                    .doesNotContain(java.util.HexFormat.of().formatHex(digits.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        assertThat(db.sql("SELECT count(DISTINCT caller_hash) FROM calls WHERE caller_masked = '09x xxx x321'")
                .map(r -> r.get(0, Long.class)).one().block()).as("one number written three ways").isEqualTo(1);
        assertThat(output.getAll()).doesNotContain(digits);
    }
}
