package vn.hotline.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import vn.hotline.ivr.flow.FlowLoader;
import vn.hotline.ivr.flow.FlowRepository;
import vn.hotline.ivr.flow.KeywordTable;
import vn.hotline.ivr.prompt.PromptCatalogs;
import vn.hotline.ivr.triage.Channel;

class IvrEngineTest {

    static final Instant ANSWERED = Instant.parse("2026-03-02T01:29:40Z");
    static final Clock CLOCK = Clock.fixed(ANSWERED.plusSeconds(20), ZoneId.of("Asia/Ho_Chi_Minh"));
    static final IvrEngine ENGINE = IvrEngine.withDefaults(CLOCK);

    static Step walk(String... digits) {
        Step step = ENGINE.start(CallerContext.voice(Channel.ASTERISK_VOICE, "+84912345678", "+842563111111", null,
                ANSWERED));
        for (String key : digits) {
            step = ENGINE.step(step.state(), new Input.Digits(key));
        }
        return step;
    }

    @Test
    void caseOpeningResultWaitsForTheReferenceBeforeReadingItOut() {
        Step completed = walk("4", "2", "31", "1");

        assertThat(completed.commands()).hasSize(2);
        assertThat(completed.commands().get(0)).isInstanceOf(Command.Complete.class);
        assertThat(completed.commands().get(1)).isEqualTo(Command.AWAIT_CASE_REFERENCE);
        assertThat(completed.state().phase()).isEqualTo(Phase.AWAITING_REFERENCE);

        Step readOut = ENGINE.step(completed.state(), new Input.CaseOpened("BD-2026-000123"));

        assertThat(readOut.commands().get(0)).isEqualTo(new Command.PlayPrompt("end.reference",
                vn.hotline.ivr.triage.Language.VI, java.util.Map.of("reference", "BD-2026-000123")));
        assertThat(readOut.commands()).last().isInstanceOf(Command.Gather.class);
        assertThat(readOut.state().phase()).as("the reference by text is offered").isEqualTo(Phase.OFFERING_TEXT);
    }

    @Test
    void aCallerWhoPressesOneAfterTheReferenceAsksForItByTextAndTheCallEnds() {
        Step offered = ENGINE.step(walk("4", "2", "31", "1").state(), new Input.CaseOpened("BD-2026-000123"));

        Step asked = ENGINE.step(offered.state(), new Input.Digits("1"));

        assertThat(asked.commands()).containsExactly(new Command.TextReference(vn.hotline.ivr.triage.Language.VI),
                new Command.PlayPrompt("end.text_sent", vn.hotline.ivr.triage.Language.VI, java.util.Map.of()),
                Command.HANGUP);
        assertThat(asked.state().phase()).isEqualTo(Phase.DONE);
        assertThat(SessionStateCodec.fromJson(SessionStateCodec.toJson(offered.state()))).isEqualTo(offered.state());
    }

    @Test
    void silenceAnotherKeyOrAHangUpAtTheOfferSendsNothing() {
        Step offered = ENGINE.step(walk("4", "2", "31", "1").state(), new Input.CaseOpened("BD-2026-000123"));

        assertThat(ENGINE.step(offered.state(), Input.TIMEOUT).commands()).containsExactly(Command.HANGUP);
        assertThat(ENGINE.step(offered.state(), new Input.Digits("2")).commands()).containsExactly(Command.HANGUP);
        assertThat(ENGINE.step(offered.state(), Input.HUNG_UP).commands()).isEmpty();
        assertThat(ENGINE.step(offered.state(), Input.HUNG_UP).state().phase()).isEqualTo(Phase.DONE);
    }

    @Test
    void noTextIsOfferedWhenACallBackOnThisNumberIsNotSafeOrTheNumberIsWithheld() {
        // Scam, child 16-17, district 31, and "a call-back is not safe".
        Step notSafe = ENGINE.step(walk("4", "3", "31", "2").state(), new Input.CaseOpened("BD-2026-000124"));
        Step withheld = IvrEngineTest.withheldWalk("4", "3", "31", "1");
        Step withheldEnd = ENGINE.step(withheld.state(), new Input.CaseOpened("BD-2026-000125"));

        assertThat(notSafe.commands()).last().isEqualTo(Command.HANGUP);
        assertThat(notSafe.commands()).noneMatch(c -> c instanceof Command.PlayPrompt p && p.key().equals("end.offer_text"));
        assertThat(withheldEnd.commands()).last().isEqualTo(Command.HANGUP);
    }

    static Step withheldWalk(String... digits) {
        Step step = ENGINE.start(CallerContext.voice(Channel.ASTERISK_VOICE, CallerContext.ANONYMOUS, "+842563111111",
                null, ANSWERED));
        for (String key : digits) {
            step = ENGINE.step(step.state(), new Input.Digits(key));
        }
        return step;
    }

    @Test
    void caseReferenceIsNotAnAnswerToAQuestion() {
        Step greeting = walk();

        assertThatThrownBy(() -> ENGINE.step(greeting.state(), new Input.CaseOpened("BD-2026-000123")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node 'greeting'");
    }

    @Test
    void caseReferenceWithCharactersThatCannotBeReadAloudIsRejected() {
        assertThatThrownBy(() -> new Input.CaseOpened("BD 2026/1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void finishedSessionIgnoresFurtherInput() {
        Step transferred = walk("1");

        Step after = ENGINE.step(transferred.state(), new Input.Digits("2"));

        assertThat(after.commands()).isEmpty();
        assertThat(after.state()).isEqualTo(transferred.state());
    }

    @Test
    void stateRecordsWhenReceivedAndWhenTheEngineLastStepped() {
        Step greeting = walk();
        IvrEngine later = new IvrEngine(
                FlowRepository.load(new FlowLoader(PromptCatalogs.load(PromptCatalogs.DEFAULT_FOLDER)),
                        FlowRepository.DEFAULT_FLOW),
                KeywordTable.load(KeywordTable.DEFAULT_TABLE),
                Clock.offset(CLOCK, Duration.ofSeconds(7)));

        Step next = later.step(greeting.state(), Input.TIMEOUT);

        assertThat(greeting.state().receivedAt()).isEqualTo(ANSWERED);
        assertThat(greeting.state().updatedAt()).isEqualTo(CLOCK.instant());
        assertThat(next.state().updatedAt()).isEqualTo(CLOCK.instant().plusSeconds(7));
    }

    @Test
    void stateWithRetryCountersSurvivesAJsonRoundTripUnchanged() {
        Step retried = ENGINE.step(walk("3").state(), Input.TIMEOUT);
        retried = ENGINE.step(retried.state(), Input.TIMEOUT);
        Step once = ENGINE.step(walk("3").state(), new Input.Digits("7"));

        String json = SessionStateCodec.toJson(once.state());

        assertThat(once.state().invalids()).isEqualTo(1);
        assertThat(SessionStateCodec.fromJson(json)).isEqualTo(once.state());
        assertThat(json).contains("\"invalids\":1", "\"node\":\"who\"").doesNotContain("+8491");
        assertThat(retried.state().phase()).isEqualTo(Phase.DONE);
    }

    @Test
    void recordNodeAsksTheAdapterToRecordAndMovesOn() {
        IvrEngine engine = new IvrEngine(
                FlowRepository.load(new FlowLoader(PromptCatalogs.load(PromptCatalogs.DEFAULT_FOLDER)),
                        "flows-test/with-record.json"),
                KeywordTable.load(KeywordTable.DEFAULT_TABLE), CLOCK);
        Step start = engine.start(CallerContext.voice(Channel.TWILIO_VOICE, "+84912345678", "+842563111111", null,
                ANSWERED));

        Step step = engine.step(start.state(), new Input.Digits("1"));

        assertThat(step.commands()).element(1).isEqualTo(new Command.RecordMessage(120, "#"));
        assertThat(step.commands()).element(2).isInstanceOf(Command.Complete.class);
        assertThat(step.state().phase()).isEqualTo(Phase.AWAITING_REFERENCE);
    }

    @Test
    void eachNodeWalkedKeepsTheTimeItWasEnteredThroughJsonAndAStateFromBeforeHasNone() {
        Step greeting = ENGINE.start(CallerContext.voice(Channel.ASTERISK_VOICE, "+84912345678", "+842563111111", null,
                ANSWERED));
        IvrEngine later = new IvrEngine(
                FlowRepository.load(new FlowLoader(PromptCatalogs.load(PromptCatalogs.DEFAULT_FOLDER)),
                        FlowRepository.DEFAULT_FLOW),
                KeywordTable.load(KeywordTable.DEFAULT_TABLE),
                Clock.offset(CLOCK, Duration.ofSeconds(9)));

        Step who = later.step(SessionStateCodec.fromJson(SessionStateCodec.toJson(greeting.state())), new Input.Digits("4"));

        assertThat(who.state().path()).containsExactly("greeting", "who");
        assertThat(who.state().pathAt()).containsExactly(CLOCK.instant(), CLOCK.instant().plusSeconds(9));
        String legacy = SessionStateCodec.toJson(greeting.state()).replaceFirst(",\\s*\"pathAt\"\\s*:\\s*\\[[^\\]]*\\]", "");
        assertThat(legacy).doesNotContain("pathAt");
        Step fromLegacy = ENGINE.step(SessionStateCodec.fromJson(legacy), new Input.Digits("4"));
        assertThat(fromLegacy.state().path()).containsExactly("greeting", "who");
        assertThat(fromLegacy.state().pathAt()).isEmpty();
    }
}
