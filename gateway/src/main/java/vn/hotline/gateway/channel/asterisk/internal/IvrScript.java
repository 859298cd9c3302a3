package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.OpenedCase;
import vn.hotline.gateway.cases.PreparedCase;
import vn.hotline.gateway.channel.asterisk.AsteriskProperties;
import vn.hotline.gateway.channel.asterisk.internal.AgiVoice.CallerGone;
import vn.hotline.gateway.db.SqlPart;
import vn.hotline.gateway.privacy.CallerId;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.gateway.routing.RoutingService;
import vn.hotline.gateway.sms.CallerTexts;
import vn.hotline.ivr.engine.CallerContext;
import vn.hotline.ivr.engine.Command;
import vn.hotline.ivr.engine.Input;
import vn.hotline.ivr.engine.IvrEngine;
import vn.hotline.ivr.engine.Phase;
import vn.hotline.ivr.engine.Step;
import vn.hotline.ivr.prompt.PromptRenderer;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.routing.decision.RoutingDecision;

/**
 * The {@code ivr} FastAGI script: one connection per call, from the AGI environment to a transfer handed to the
 * dialplan, a case reference read out, or a hang-up. It sets {@code HOTLINE_DONE=1} only when it ends on purpose,
 * and {@code HOTLINE_FALLBACK=1} when it gives up (database, routing or a step over its budget); the dialplan sends
 * every other ending to a person. Thread-safe: all call state lives in a {@link Call} per connection.
 *
 * <p>The IVR session lives in memory for the life of the call and is written only at its milestones: the call started
 * (written while the greeting plays), the case opened, the transfer planned, the end or the hang-up. DESIGN 5 keeps
 * session state in PostgreSQL so that any node can take the next step of a call; that is right for webhooks (Twilio,
 * SMS), where every step is a new request that may reach another node. A FastAGI call is one TCP connection served by
 * one script thread from the first command to the last: no other node can ever receive its next key, and when this
 * node dies the socket closes and the dialplan's fallback takes the caller to a person. A write after every key would
 * buy nothing but a database round trip in front of every prompt.
 */
class IvrScript implements AgiScript {

    private static final Logger log = LoggerFactory.getLogger(IvrScript.class);
    /** A fallback recorded after the caller has moved on: long enough for a database that comes back soon. */
    private static final Duration FALLBACK_RECORD_WITHIN = Duration.ofSeconds(30);

    private final IvrEngine engine;
    private final PromptRenderer prompts;
    private final CallStore store;
    private final CaseService cases;
    private final RoutingService routing;
    private final PersonalData personalData;
    private final LadderPlanner ladder;
    private final AsteriskProperties properties;
    private final CallerTexts callerTexts;
    private final Clock clock;
    private final FallbackMeter fallbacks;

    IvrScript(IvrEngine engine, PromptRenderer prompts, CallStore store, CaseService cases, RoutingService routing,
            PersonalData personalData, LadderPlanner ladder, AsteriskProperties properties, CallerTexts callerTexts,
            Clock clock, FallbackMeter fallbacks) {
        this.fallbacks = fallbacks;
        this.callerTexts = callerTexts;
        this.engine = engine;
        this.prompts = prompts;
        this.store = store;
        this.cases = cases;
        this.routing = routing;
        this.personalData = personalData;
        this.ladder = ladder;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) {
        AgiVoice voice = new AgiVoice(channel);
        CallKey key;
        try {
            key = CallKey.of(request, properties.systemName());
        } catch (CallKey.Refused refused) {
            log.warn("FastAGI request refused: {}", refused.getMessage());
            fallbacks.count(FallbackMeter.REFUSED);
            FallbackSignal.raise(voice);
            return;
        }
        new Call(key, request, voice).run();
    }

    /** One call, on one AGI thread. */
    private final class Call {

        private final CallKey key;
        private final AgiRequest request;
        private final AgiVoice voice;
        private final StepBudget budget = new StepBudget(properties.stepBudget());
        private UUID callId;
        /** The call record's write, begun with the call and awaited before the first use of the record. */
        private StepBudget.Pending recording;
        private Instant answeredAt;
        private Step step;
        private int inputs;
        private TriageResult completed;
        private String outcome;
        private boolean caseOpened;
        /** The case's write, begun when its reference is known and awaited before the reference is read out. */
        private StepBudget.Pending storing;
        /**
         * The end of the call, written while its last prompts play and awaited before {@code HOTLINE_DONE}; once set,
         * a hang-up records nothing more.
         */
        private StepBudget.Pending end;

        Call(CallKey key, AgiRequest request, AgiVoice voice) {
            this.key = key;
            this.request = request;
            this.voice = voice;
        }

        void run() {
            try {
                voice.answer();
                answeredAt = clock.instant();
                begin();
                Input input = perform(step.commands());
                while (input != null) {
                    // A database that failed at the start sends the caller to a person at the first key.
                    recorded();
                    step = engine.step(step.state(), input);
                    inputs++;
                    input = perform(step.commands());
                }
            } catch (CallerGone gone) {
                hungUp();
            } catch (RuntimeException e) {
                // The cause's type only: a database error's text may quote the values it was given.
                log.warn("Call {} handed to the dialplan's fallback: {} ({})", key, e.getMessage(),
                        e.getCause() == null ? "no cause" : e.getCause().getClass().getSimpleName());
                giveUp(e instanceof StepBudget.Exceeded ? FallbackMeter.TIMEOUT : FallbackMeter.ERROR);
            }
        }

        private void begin() {
            CallerId caller = personalData.identify(request.getCallerIdNumber());
            String callerKind;
            Optional<ProtectedNumber> stored = Optional.empty();
            String callerForEngine = CallerContext.ANONYMOUS;
            if (caller instanceof CallerId.Number number) {
                callerKind = "NUMBER";
                stored = Optional.of(personalData.protect(number, DataField.CALLER_NUMBER));
                callerForEngine = number.e164();
            } else {
                callerKind = caller instanceof CallerId.Withheld ? "WITHHELD" : "UNKNOWN";
            }
            step = engine.start(CallerContext.voice(Channel.ASTERISK_VOICE, callerForEngine, dialled(),
                    language(), answeredAt));
            callId = UUID.randomUUID();
            recording = budget.begin("starting the call record",
                    store.start(callId, key.value(), callerKind, stored, dialled(), answeredAt, step.state()));
        }

        /** The call's id once its record is written (waiting for the write begun with the call, within the budget). */
        private UUID recorded() {
            budget.await(recording);
            return callId;
        }

        private CallStore.Ending ending(String outcome, List<String> path, Optional<String> abandonedAt, boolean ended) {
            return new CallStore.Ending(outcome, path, abandonedAt, clock.instant(), ended, inputs, step.state());
        }

        private String dialled() {
            String dnid = request.getDnid();
            return dnid == null || "unknown".equals(dnid) ? null : dnid;
        }

        private Language language() {
            String arg = request.getRequest().get("arg_1");
            return "en".equalsIgnoreCase(arg) ? Language.EN : "vi".equalsIgnoreCase(arg) ? Language.VI : null;
        }

        /** Carries out one step's commands; returns the input for the next step, or null when the script is done. */
        private Input perform(List<Command> commands) throws CallerGone {
            for (Command command : commands) {
                if (command instanceof Command.Complete complete) {
                    completed = complete.result();
                }
            }
            if (!commands.isEmpty() && commands.get(commands.size() - 1) instanceof Command.Hangup) {
                beginEnd(commands);
            }
            char pressed = 0;
            for (int i = 0; i < commands.size(); i++) {
                Command command = commands.get(i);
                if (command instanceof Command.PlayPrompt prompt) {
                    boolean beforeGather = gatherFollows(commands, i);
                    boolean lastBeforeGather = beforeGather && commands.get(i + 1) instanceof Command.Gather;
                    if (pressed == 0 && !lastBeforeGather) {
                        pressed = play(prompt, beforeGather && !prompt.readsReference() ? AgiVoice.ALL_KEYS : "");
                    }
                } else if (command instanceof Command.Gather gather) {
                    Command.PlayPrompt menu = (Command.PlayPrompt) commands.get(i - 1);
                    return pressed != 0 ? collectAfter(pressed, gather) : ask(menu, gather);
                } else if (command instanceof Command.Complete) {
                    if (i == commands.size() - 1) {
                        return ended();
                    }
                } else if (command instanceof Command.AwaitCaseReference) {
                    outcome = "REFERENCE_GIVEN";
                    return new Input.CaseOpened(beginCase());
                } else if (command instanceof Command.Transfer transfer) {
                    transfer(transfer);
                    return null;
                } else if (command instanceof Command.TextReference) {
                    // Written with the end of the call (beginEnd).
                    continue;
                } else if (command instanceof Command.Hangup) {
                    budget.await(end);
                    voice.setVariable(FallbackSignal.DONE, "1");
                    voice.hangup();
                    return null;
                } else {
                    throw new IllegalStateException("the Asterisk channel cannot " + command.getClass().getSimpleName());
                }
            }
            return null;
        }

        /**
         * The last step of the call is known before its prompts play: the end of the call and the text the caller asked
         * for, if any, are written in one statement while the caller listens. A failed write still sends the caller
         * to a person (the script gives up before HOTLINE_DONE).
         */
        private void beginEnd(List<Command> commands) {
            budget.await(storing);
            UUID call = recorded();
            List<SqlPart> text = commands.stream().filter(Command.TextReference.class::isInstance)
                    .map(Command.TextReference.class::cast).findFirst()
                    .map(asked -> callerTexts.referenceRequestedParts(call, asked.language()))
                    .orElse(List.of());
            String how = outcome != null ? outcome : "INFORMATION_GIVEN";
            end = budget.begin("recording the end of the call",
                    store.finish(call, ending(how, step.state().path(), Optional.empty(), true), text));
        }

        private boolean gatherFollows(List<Command> commands, int from) {
            for (int j = from + 1; j < commands.size(); j++) {
                if (commands.get(j) instanceof Command.Gather) {
                    return true;
                }
                if (!(commands.get(j) instanceof Command.PlayPrompt)) {
                    return false;
                }
            }
            return false;
        }

        private char play(Command.PlayPrompt prompt, String escapeDigits) throws CallerGone {
            List<String> files = prompts.audioFiles(prompt);
            for (int f = 0; f < files.size(); f++) {
                if (f == 1 && prompt.readsReference()) {
                    // The prompt's first words played while the case was written; its characters wait for the case.
                    budget.await(storing);
                }
                char key = voice.stream(files.get(f), escapeDigits);
                if (key != 0) {
                    return key;
                }
            }
            return 0;
        }

        /** The menu prompt is played by GET DATA itself, so a key pressed during it is the answer. */
        private Input ask(Command.PlayPrompt menu, Command.Gather gather) throws CallerGone {
            // A case begun before this menu is settled before the caller is asked anything more.
            budget.await(storing);
            List<String> files = prompts.audioFiles(menu);
            for (int f = 0; f < files.size() - 1; f++) {
                char key = voice.stream(files.get(f), AgiVoice.ALL_KEYS);
                if (key != 0) {
                    return collectAfter(key, gather);
                }
            }
            String digits = voice.getData(files.get(files.size() - 1), gather.timeoutSeconds() * 1000L,
                    gather.maxLength());
            return digits.isEmpty() ? Input.TIMEOUT : new Input.Digits(digits);
        }

        /** A key interrupted a prompt: read the rest of the answer one key at a time. */
        private Input collectAfter(char first, Command.Gather gather) throws CallerGone {
            StringBuilder digits = new StringBuilder();
            char key = first;
            while (key != 0 && !gather.terminator().equals(String.valueOf(key))) {
                digits.append(key);
                if (digits.length() >= gather.maxLength()) {
                    break;
                }
                key = voice.waitForDigit(gather.timeoutSeconds() * 1000L);
            }
            return digits.length() == 0 ? Input.TIMEOUT : new Input.Digits(digits.toString());
        }

        /** A result with nothing more to say (information given without a case). */
        private Input ended() {
            if (completed.opensCase()) {
                openCase();
            }
            return null;
        }

        private OpenedCase openCase() {
            caseOpened = true;
            return budget.require("opening the case", cases.open(intake()));
        }

        /**
         * Routes and numbers the case (numbers are held in memory: no round trip) and begins writing it, so that the
         * caller hears the first words of the reference prompt while it is written ({@link #storing}).
         */
        private String beginCase() {
            caseOpened = true;
            PreparedCase prepared = budget.require("numbering the case", cases.prepare(intake()));
            storing = budget.begin("opening the case", cases.store(prepared).then());
            return prepared.reference();
        }

        private CaseIntake intake() {
            return new CaseIntake(completed, answeredAt, Optional.of(recorded()));
        }

        private void transfer(Command.Transfer transfer) throws CallerGone {
            RoutingDecision decision;
            String reference = "";
            if (completed.opensCase()) {
                OpenedCase opened = openCase();
                decision = opened.decision();
                reference = opened.reference();
            } else {
                decision = budget.require("routing", routing.decide(completed, answeredAt));
            }
            List<LadderPlanner.DialRung> rungs = ladder.plan(decision, transfer.target(), budget);
            budget.await("planning the ladder", store.transfer(recorded(),
                    rungs.stream().map(LadderPlanner.DialRung::planned).toList(),
                    ending("TRANSFERRING", completed.path(), Optional.empty(), false)));
            for (LadderPlanner.DialRung rung : rungs) {
                int n = rung.planned().step();
                voice.setVariable("HOTLINE_RUNG_" + n, rung.dialString());
                voice.setVariable("HOTLINE_RUNG_" + n + "_TIMEOUT", Integer.toString(rung.planned().ringSeconds()));
            }
            voice.setVariable("HOTLINE_RUNG_COUNT", Integer.toString(rungs.size()));
            voice.setVariable("HOTLINE_CASE", reference);
            // After a ladder nobody accepted, the dialplan tells the child what happens next in the call's language,
            // and puts them through to 111 when no rung was 111.
            voice.setVariable("HOTLINE_LANG", step.state().language().name().toLowerCase(Locale.ROOT));
            voice.setVariable("HOTLINE_LADDER_END", rungs.stream().anyMatch(r -> r.planned().national111()) ? ""
                    : ladder.national111Dial());
            voice.setVariable(FallbackSignal.DONE, "1");
        }

        /** The caller hung up: the engine says where; the call is recorded as abandoned there. */
        private void hungUp() {
            if (callId == null) {
                return;
            }
            try {
                budget.await(storing);
                if (end != null) {
                    // Gone during the last prompts: the end is being written already, as it was.
                    budget.await(end);
                    return;
                }
                List<String> path = step.state().path();
                Optional<String> node = Optional.empty();
                if (step.state().phase() != Phase.DONE) {
                    step = engine.step(step.state(), Input.HUNG_UP);
                    inputs++;
                    for (Command command : step.commands()) {
                        if (command instanceof Command.Complete complete) {
                            completed = complete.result();
                            node = completed.abandonedAt();
                        }
                    }
                } else if (outcome == null && !path.isEmpty()) {
                    // Gone while hearing "connecting you": abandoned at the transfer node, still a case to call back.
                    node = Optional.of(path.get(path.size() - 1));
                }
                if (completed != null && completed.opensCase() && !caseOpened) {
                    openCase();
                }
                if (completed != null) {
                    path = completed.path();
                }
                String how = node.isEmpty() && outcome != null ? outcome : "ABANDONED";
                budget.await("recording the hang-up", store.finish(recorded(), ending(how, path, node, true)));
            } catch (StepBudget.Exceeded e) {
                log.warn("Call {} hung up; the abandoned call could not be recorded: {}", key, e.getMessage());
            }
        }

        /**
         * Sends the caller to the dialplan's fallback at once: the script returns as soon as the variable is set, and
         * the fallback is recorded in the background (AMI's hang-up records it too). Waiting for that write here kept
         * a caller of a stalled database in silence for a second budget (1.6 s instead of 0.8).
         */
        private void giveUp(String reason) {
            fallbacks.count(reason);
            FallbackSignal.raise(voice);
            if (callId != null) {
                CallKey call = key;
                budget.whenDone(recording).then(store.markFallback(callId, clock.instant()))
                        .timeout(FALLBACK_RECORD_WITHIN)
                        .subscribe(null, e -> log.warn("Call {}: the fallback was not recorded ({}); AMI's hang-up records it",
                                call, e.getClass().getSimpleName()));
            }
        }
    }
}
