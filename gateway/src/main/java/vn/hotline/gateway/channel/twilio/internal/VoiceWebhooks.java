package vn.hotline.gateway.channel.twilio.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.OpenedCase;
import vn.hotline.gateway.channel.twilio.TwilioProperties;
import vn.hotline.gateway.privacy.CallerId;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.gateway.routing.OfficerPhones;
import vn.hotline.gateway.routing.RoutingService;
import vn.hotline.gateway.sms.CallerTexts;
import vn.hotline.ivr.engine.CallerContext;
import vn.hotline.ivr.engine.Command;
import vn.hotline.ivr.engine.Input;
import vn.hotline.ivr.engine.IvrEngine;
import vn.hotline.ivr.engine.Phase;
import vn.hotline.ivr.engine.SessionState;
import vn.hotline.ivr.engine.Step;
import vn.hotline.ivr.flow.TransferTarget;
import vn.hotline.ivr.prompt.PromptRenderer;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.routing.decision.RoutingDecision;
import vn.hotline.routing.decision.Rung;
import vn.hotline.routing.decision.RungKind;

/**
 * The Twilio voice webhooks. Each step of a call is one request keyed by CallSid and the step in its action URL; the
 * step is taken in one transaction (session row claimed, case opened, reply stored), so a retried or replayed
 * request gets the stored reply and changes nothing, and any node can take the next step. Anything that fails
 * answers the fallback TwiML, which dials the duty phone and then 111.
 */
@RestController
@ConditionalOnProperty(prefix = "hotline.twilio", name = "enabled", havingValue = "true", matchIfMissing = true)
class VoiceWebhooks {

    static final String KIND = "voice";
    static final MediaType XML = MediaType.APPLICATION_XML;
    private static final Logger log = LoggerFactory.getLogger(VoiceWebhooks.class);
    private static final String DUTY_AGAIN = "DUTY_AGAIN";

    private final IvrEngine engine;
    private final VoiceTwiml twiml;
    private final VoiceCalls calls;
    private final CaseService cases;
    private final RoutingService routing;
    private final PersonalData personalData;
    private final OfficerPhones phones;
    private final TransactionalOperator tx;
    private final TwilioProperties properties;
    private final TwilioTexts texts;
    private final FallbackTwiml fallback;
    private final CallerTexts callerTexts;
    private final Clock clock;

    VoiceWebhooks(VoiceCalls calls, CaseService cases, RoutingService routing, PersonalData personalData,
            OfficerPhones phones, TransactionalOperator tx, TwilioProperties properties, CallerTexts callerTexts,
            IvrEngine engine, PromptRenderer prompts, TwilioTexts texts, Clock clock) {
        this.callerTexts = callerTexts;
        this.engine = engine;
        this.texts = texts;
        this.twiml = new VoiceTwiml(prompts, properties.voice());
        this.fallback = new FallbackTwiml(properties.voice(), texts);
        this.calls = calls;
        this.cases = cases;
        this.routing = routing;
        this.personalData = personalData;
        this.phones = phones;
        this.tx = tx;
        this.properties = properties;
        this.clock = clock;
    }

    /** An incoming call: the call record and its session at step 0, and the first menu. */
    @PostMapping(TwilioRoutes.VOICE)
    Mono<ResponseEntity<String>> incoming(ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            String sid = required(form, "CallSid");
            // A first webhook is rarely retried: start at once, and a retry finds the call there and its stored reply.
            return start(sid, form).onErrorResume(DataIntegrityViolationException.class, e -> calls.reply(sid, KIND, 0));
        }).map(VoiceWebhooks::xml).transform(answered("incoming call"));
    }

    private Mono<String> start(String sid, MultiValueMap<String, String> form) {
        Instant answeredAt = clock.instant();
        CallerId caller = personalData.identify(Optional.ofNullable(form.getFirst("From")).orElse(""));
        String callerKind = "UNKNOWN";
        Optional<ProtectedNumber> stored = Optional.empty();
        String callerForEngine = CallerContext.ANONYMOUS;
        if (caller instanceof CallerId.Number number) {
            callerKind = "NUMBER";
            stored = Optional.of(personalData.protect(number, DataField.CALLER_NUMBER));
            callerForEngine = number.e164();
        } else if (caller instanceof CallerId.Withheld) {
            callerKind = "WITHHELD";
        }
        String dialled = form.getFirst("To");
        Step first = engine.start(CallerContext.voice(Channel.TWILIO_VOICE, callerForEngine, dialled, null, answeredAt));
        String kind = callerKind;
        Optional<ProtectedNumber> number = stored;
        if (asksOnly(first)) {
            // A call's first step greets and asks (no case, transfer or end): the call record, its session, CALL_STARTED
            // and the reply are one statement, with no transaction around it.
            String reply = twiml.render(first.commands(), 1);
            return calls.start(sid, Channel.TWILIO_VOICE.name(), kind, number, dialled, answeredAt, first.state(),
                    Optional.of(reply)).thenReturn(reply);
        }
        return tx.transactional(calls.start(sid, Channel.TWILIO_VOICE.name(), kind, number, dialled, answeredAt, first.state(),
                        Optional.empty())
                .flatMap(callId -> take(sid, callId, first, 0)));
    }

    /** A step that only plays prompts and asks: no case, transfer or end to write beside its reply. */
    private static boolean asksOnly(Step step) {
        return step.commands().stream().allMatch(c -> c instanceof Command.PlayPrompt || c instanceof Command.Gather);
    }

    /** The answer to a menu: {@code step} is the step this request takes. */
    @PostMapping(TwilioRoutes.GATHER)
    Mono<ResponseEntity<String>> gather(@RequestParam("step") int step, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            String sid = required(form, "CallSid");
            String digits = Optional.ofNullable(form.getFirst("Digits")).orElse("");
            Input input = digits.isEmpty() ? Input.TIMEOUT : new Input.Digits(digits);
            return calls.sessionAt(sid, KIND, step).flatMap(found -> {
                if (found.reply().isPresent()) {
                    // A retried or replayed step: the answer it got.
                    return Mono.just(found.reply().get());
                }
                VoiceCalls.Session session = found.session();
                if (session.step() != step - 1) {
                    // Out of order (an older step retried late): the call is elsewhere; repeat where it is.
                    return calls.reply(sid, KIND, session.step());
                }
                Step next = engine.step(session.state(), input);
                boolean textOffer = session.state().phase() == Phase.OFFERING_TEXT;
                if (!textOffer && asksOnly(next)) {
                    // The next menu: the step taken, its state and its reply in one statement; a request that lost
                    // the race for the step answers what the winner stored.
                    String reply = twiml.render(next.commands(), step + 1);
                    return calls.takeStep(session.callId(), step, next.state(), sid, KIND, reply, clock.instant())
                            .flatMap(took -> took ? Mono.just(reply) : calls.reply(sid, KIND, step));
                }
                // A case, a transfer, an end or the text: the step is claimed first and written in its transaction.
                return tx.transactional(calls.claimStep(session.callId(), step).filter(Boolean::booleanValue)
                                .flatMap(claimed -> textOffer ? afterTextOffer(sid, session.callId(), next, step)
                                        : take(sid, session.callId(), next, step)))
                        .switchIfEmpty(Mono.defer(() -> calls.reply(sid, KIND, step)));
            });
        }).map(VoiceWebhooks::xml).switchIfEmpty(Mono.fromSupplier(() -> xml(fallback.twiml())))
                .transform(answered("menu step"));
    }

    /**
     * Carries out one engine step inside the webhook's transaction: opens the case the engine asks for, plans the
     * ladder of a transfer, records the end, stores the state and the reply.
     */
    private Mono<String> take(String sid, UUID callId, Step step, int stepNumber) {
        List<Command> commands = step.commands();
        TriageResult completed = completed(commands);
        Instant receivedAt = step.state().receivedAt();
        if (commands.contains(Command.AWAIT_CASE_REFERENCE)) {
            return openCase(completed, receivedAt, callId).flatMap(opened -> {
                Step next = engine.step(step.state(), new Input.CaseOpened(opened.reference()));
                List<Command> all = new ArrayList<>(commands);
                all.remove(Command.AWAIT_CASE_REFERENCE);
                all.addAll(next.commands());
                return conclude(sid, callId, new Step(all, next.state()), stepNumber, completed, Optional.of(opened),
                        "REFERENCE_GIVEN");
            });
        }
        Optional<Command.Transfer> transfer = commands.stream().filter(Command.Transfer.class::isInstance)
                .map(Command.Transfer.class::cast).findFirst();
        if (transfer.isPresent()) {
            // Without a result (never in the default flow) there is nothing to route: the ladder is the duty phone.
            Mono<RoutingDecision> decision = completed == null ? Mono.empty()
                    : completed.opensCase() ? openCase(completed, receivedAt, callId).map(OpenedCase::decision)
                    : routing.decide(completed, receivedAt);
            List<String> path = completed != null ? completed.path() : step.state().path();
            return decision.map(d -> ladder(d, transfer.get().target()))
                    .defaultIfEmpty(List.of(new VoiceCalls.Rung(1, DUTY_AGAIN, Optional.empty(),
                            (int) properties.voice().ringTimeout().toSeconds())))
                    .flatMap(rungs -> calls.planLadder(callId, rungs, clock.instant()))
                    .then(calls.finish(callId, "TRANSFERRING", path, Optional.empty(), clock.instant(), false))
                    .then(store(sid, callId, step, stepNumber));
        }
        if (commands.contains(Command.HANGUP) && completed != null && completed.opensCase()) {
            return openCase(completed, receivedAt, callId)
                    .flatMap(opened -> conclude(sid, callId, step, stepNumber, completed, Optional.of(opened), "INFORMATION_GIVEN"));
        }
        return conclude(sid, callId, step, stepNumber, completed, Optional.empty(), "INFORMATION_GIVEN");
    }

    private Mono<String> conclude(String sid, UUID callId, Step step, int stepNumber, TriageResult completed,
            Optional<OpenedCase> opened, String outcome) {
        boolean hangUp = step.commands().contains(Command.HANGUP);
        // A caller who heard the reference has it, whether the call ends now or after the offer of a text.
        Mono<Void> end = hangUp || opened.isPresent()
                ? calls.finish(callId, outcome, completed != null ? completed.path() : step.state().path(), Optional.empty(),
                        clock.instant(), hangUp)
                : Mono.empty();
        return end.then(store(sid, callId, step, stepNumber));
    }

    /** The answer to the offer of the reference by text: the text goes to the outbox if asked for; the call ends. */
    private Mono<String> afterTextOffer(String sid, UUID callId, Step step, int stepNumber) {
        Mono<Void> text = step.commands().stream().filter(Command.TextReference.class::isInstance)
                .map(Command.TextReference.class::cast).findFirst()
                .map(asked -> callerTexts.referenceRequested(callId, asked.language()))
                .orElse(Mono.empty());
        return text.then(calls.finish(callId, "REFERENCE_GIVEN", step.state().path(), Optional.empty(), clock.instant(), true))
                .then(store(sid, callId, step, stepNumber));
    }

    private Mono<String> store(String sid, UUID callId, Step step, int stepNumber) {
        String reply = twiml.render(step.commands(), stepNumber + 1);
        // Step 0's state went in with the call record (VoiceCalls.start); later steps overwrite it.
        Mono<Void> saved = stepNumber == 0 ? calls.saveReply(sid, KIND, stepNumber, reply, clock.instant())
                : calls.saveStateAndReply(callId, step.state(), sid, KIND, stepNumber, reply, clock.instant());
        return saved.thenReturn(reply);
    }

    private Mono<OpenedCase> openCase(TriageResult result, Instant receivedAt, UUID callId) {
        return cases.open(new CaseIntake(result, receivedAt, Optional.of(callId)));
    }

    private static TriageResult completed(List<Command> commands) {
        for (Command command : commands) {
            if (command instanceof Command.Complete complete) {
                return complete.result();
            }
        }
        return null;
    }

    /** The rungs a transfer dials, then the duty phone once more; numbers are derived when each rung is dialled. */
    private List<VoiceCalls.Rung> ladder(RoutingDecision decision, TransferTarget target) {
        int ring = (int) properties.voice().ringTimeout().toSeconds();
        List<VoiceCalls.Rung> out = new ArrayList<>();
        Optional<UUID> duty = Optional.empty();
        for (Rung rung : rungsFor(decision.ladder(), target)) {
            int seconds = rung.answerWithin().map(Duration::toSeconds).filter(s -> s > 0 && s < ring).map(Long::intValue)
                    .orElse(ring);
            Optional<UUID> officer = rung.phone().map(p -> UUID.fromString(p.value()));
            if (rung.kind() != RungKind.NATIONAL_111 && officer.isEmpty()) {
                continue;
            }
            out.add(new VoiceCalls.Rung(out.size() + 1, rung.kind().name(), officer, seconds));
            if (rung.kind() == RungKind.DUTY_SUPERVISOR && duty.isEmpty()) {
                duty = officer;
            }
        }
        out.add(new VoiceCalls.Rung(out.size() + 1, DUTY_AGAIN, duty, ring));
        return out;
    }

    private static List<Rung> rungsFor(List<Rung> ladder, TransferTarget target) {
        if (target == TransferTarget.NATIONAL_111) {
            return ladder.stream().filter(r -> r.kind() == RungKind.NATIONAL_111).toList();
        }
        if (target == TransferTarget.DUTY_SUPERVISOR) {
            for (int i = 0; i < ladder.size(); i++) {
                if (ladder.get(i).kind() == RungKind.DUTY_SUPERVISOR) {
                    return ladder.subList(i, ladder.size());
                }
            }
            return ladder.stream().filter(r -> r.kind() == RungKind.NATIONAL_111).toList();
        }
        return ladder;
    }

    /** Dials rung {@code rung} (or the next one that has a number); after the last, says so and hangs up. */
    @PostMapping(TwilioRoutes.LADDER)
    Mono<ResponseEntity<String>> ladder(@RequestParam("rung") int rung, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> calls.session(required(form, "CallSid")))
                .flatMap(session -> calls.rungs(session.callId()).filter(r -> r.step() >= rung)
                        .concatMap(r -> number(r).map(n -> twiml.dial(n, r.step(), r.ringSeconds())))
                        .next()
                        .switchIfEmpty(Mono.fromSupplier(() -> exhausted(session.state().language()))))
                .map(VoiceWebhooks::xml).switchIfEmpty(Mono.fromSupplier(() -> xml(fallback.twiml())))
                .transform(answered("ladder"));
    }

    private Mono<String> number(VoiceCalls.Rung rung) {
        if (rung.officerId().isPresent()) {
            return phones.number(rung.officerId().get());
        }
        String configured = RungKind.NATIONAL_111.name().equals(rung.kind()) ? properties.voice().national111Number()
                : properties.voice().dutyNumber();
        return configured.isEmpty() ? Mono.empty() : Mono.just(configured);
    }

    /** The result of one rung: accepted ends the ladder, otherwise the next rung. Recorded once. */
    @PostMapping(TwilioRoutes.DIAL)
    Mono<ResponseEntity<String>> dialed(@RequestParam("rung") int rung, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            String status = dialStatus(form.getFirst("DialCallStatus"));
            return calls.session(required(form, "CallSid")).flatMap(session -> tx.transactional(
                            calls.recordDial(session.callId(), rung, status, clock.instant()))
                    .switchIfEmpty(Mono.defer(() -> calls.recordedDial(session.callId(), rung)))
                    .map(result -> result.accepted() ? twiml.hangUp()
                            : result.last() ? exhausted(session.state().language())
                            : twiml.redirect(TwilioRoutes.LADDER + "?rung=" + (rung + 1))));
        }).map(VoiceWebhooks::xml).switchIfEmpty(Mono.fromSupplier(() -> xml(fallback.twiml())))
                .transform(answered("dial result"));
    }

    /**
     * Twilio's {@code DialCallStatus} in the call log's one vocabulary, Asterisk's {@code DIALSTATUS}, so supervisors
     * and reports read a rung the same whichever line carried the call. Whether a person accepted is recorded apart.
     */
    static String dialStatus(String twilio) {
        if (twilio == null) {
            return "UNKNOWN";
        }
        switch (twilio) {
            case "completed":
            case "answered":
                return "ANSWER";
            case "busy":
                return "BUSY";
            case "no-answer":
                return "NOANSWER";
            case "canceled":
                return "CANCEL";
            case "failed":
                return "CHANUNAVAIL";
            default:
                return "UNKNOWN";
        }
    }

    private String exhausted(Language language) {
        return twiml.sayAndHangUp(texts.text("ladder.exhausted", language), language);
    }

    /** What the officer hears: press 1 to take the call. Touches no database. */
    @PostMapping(TwilioRoutes.WHISPER)
    Mono<ResponseEntity<String>> whisper(@RequestParam("rung") int rung) {
        return Mono.just(xml(twiml.whisper(texts.text("whisper.offer", Language.VI), rung,
                (int) properties.voice().whisperTimeout().toSeconds(), Language.VI)));
    }

    /** The officer's key: 1 accepts the rung (the caller is bridged), anything else declines it. */
    @PostMapping(TwilioRoutes.WHISPER_ACCEPT)
    Mono<ResponseEntity<String>> whisperAnswered(@RequestParam("rung") int rung, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            if (!"1".equals(form.getFirst("Digits"))) {
                return Mono.just(twiml.sayAndHangUp(texts.text("whisper.declined", Language.VI), Language.VI));
            }
            // Accepting the call acknowledges the case, by that officer (DESIGN 8), while they talk.
            Instant at = clock.instant();
            return calls.session(required(form, "ParentCallSid"))
                    .flatMap(session -> calls.accept(session.callId(), rung, at)
                            .flatMap(officer -> cases.acknowledgeByVoice(session.callId(), officer, at)))
                    .thenReturn(twiml.empty());
        }).map(VoiceWebhooks::xml).transform(answered("whisper"));
    }

    /**
     * Call status: a call that ends while still in the menu is recorded abandoned at its node (a call-back case when
     * urgency was already high). Taken as one more step of the session, so a replay changes nothing.
     */
    @PostMapping(TwilioRoutes.VOICE_STATUS)
    Mono<ResponseEntity<String>> status(ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            String callStatus = Optional.ofNullable(form.getFirst("CallStatus")).orElse("");
            if (!List.of("completed", "busy", "failed", "no-answer", "canceled").contains(callStatus)) {
                return Mono.just(twiml.empty());
            }
            return calls.session(required(form, "CallSid"))
                    .flatMap(session -> tx.transactional(ended(session)))
                    .thenReturn(twiml.empty());
        }).map(VoiceWebhooks::xml).transform(answered("call status"));
    }

    private Mono<Void> ended(VoiceCalls.Session session) {
        SessionState state = session.state();
        if (state.phase() == Phase.DONE || state.phase() == Phase.OFFERING_TEXT) {
            // Ended on purpose, or after hearing the reference (a hang-up at the offer of a text is no abandonment).
            return calls.markEnded(session.callId(), clock.instant()).then();
        }
        return calls.claimStep(session.callId(), session.step() + 1).flatMap(claimed -> {
            if (!claimed) {
                return Mono.empty();
            }
            Step hungUp = engine.step(state, Input.HUNG_UP);
            TriageResult result = completed(hungUp.commands());
            Mono<Void> callBack = result != null && result.opensCase()
                    ? openCase(result, state.receivedAt(), session.callId()).then() : Mono.empty();
            List<String> path = result != null ? result.path() : state.path();
            Optional<String> node = result != null ? result.abandonedAt() : Optional.of(state.node());
            return callBack.then(calls.saveState(session.callId(), hungUp.state()))
                    .then(calls.finish(session.callId(), "ABANDONED", path, node, clock.instant(), true));
        });
    }

    /** Twilio's fallback URL when this server is its own backup; never touches the database. */
    @PostMapping(TwilioRoutes.FALLBACK)
    Mono<ResponseEntity<String>> fallback() {
        return Mono.just(xml(fallback.twiml()));
    }

    /**
     * Every voice webhook answers within {@code answer-within}: past it, or on any failure, with the fallback TwiML
     * (duty phone, then 111) rather than leaving the caller in silence until Twilio gives up at 15 s.
     */
    private Function<Mono<ResponseEntity<String>>, Mono<ResponseEntity<String>>> answered(String what) {
        return work -> work.timeout(properties.voice().answerWithin())
                .onErrorResume(e -> {
                    // No form values: they hold the caller's number.
                    log.warn("Twilio {} failed, answered with the fallback TwiML: {}", what, e.toString());
                    return Mono.just(xml(fallback.twiml()));
                });
    }

    private static String required(MultiValueMap<String, String> form, String name) {
        String value = form.getFirst(name);
        if (value == null || value.isBlank() || value.length() > 64) {
            throw new IllegalArgumentException("form field " + name + " missing or too long");
        }
        return value;
    }

    static ResponseEntity<String> xml(String body) {
        return ResponseEntity.ok().contentType(XML).body(body);
    }
}
