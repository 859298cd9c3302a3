package vn.hotline.gateway.console.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.routing.RoutingService;
import vn.hotline.ivr.engine.CallerContext;
import vn.hotline.ivr.engine.Command;
import vn.hotline.ivr.engine.Input;
import vn.hotline.ivr.engine.IvrEngine;
import vn.hotline.ivr.engine.Phase;
import vn.hotline.ivr.engine.SessionState;
import vn.hotline.ivr.engine.SessionStateCodec;
import vn.hotline.ivr.engine.Step;
import vn.hotline.ivr.prompt.PromptRenderer;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.routing.decision.RoutingDecision;

/**
 * The training call: a trainee places a test call through the real IVR engine and session path (a {@code calls} row
 * marked {@code training} and its {@code ivr_sessions} state), reads what a caller would hear and presses keys on
 * screen. When triage ends it sees where routing would send the case, but no case is opened and nobody is notified;
 * training calls stay out of the call log search, the live board and the reports.
 */
@Controller
class TrainingPages {

    /** The number the engine is told (never stored): a caller whose call-back is possible, as most are. */
    private static final String TRAINEE = "+84900000000";
    /** What the engine reads out instead of a case reference. */
    static final String REFERENCE = "TN-000000";
    private static final Pattern KEYS = Pattern.compile("[0-9*#]{1,3}");

    private final IvrEngine engine;
    private final PromptRenderer prompts;
    private final RoutingService routing;
    private final DatabaseClient db;
    private final ConsoleStaff staff;
    private final Clock clock;

    TrainingPages(IvrEngine engine, PromptRenderer prompts, RoutingService routing, DatabaseClient db, ConsoleStaff staff,
                  Clock clock) {
        this.engine = engine;
        this.prompts = prompts;
        this.routing = routing;
        this.db = db;
        this.staff = staff;
        this.clock = clock;
    }

    /** A key pressed on screen (digits, {@code -} for silence, {@code !} to hang up), or keys typed (two-digit answers). */
    record KeyForm(String key, String typed) {
    }

    /** One rung of the ladder the case would climb, by kind and officer. */
    record RungLine(String kind, String officer) {
    }

    @GetMapping("/console/training")
    Mono<String> intro(ServerWebExchange exchange, Model model) {
        return staff.of(exchange).thenReturn("console/training");
    }

    @PostMapping("/console/training")
    Mono<String> start(ServerWebExchange exchange, Model model) {
        return staff.of(exchange).flatMap(trainee -> {
            Instant now = clock.instant();
            Step step = engine.start(CallerContext.voice(Channel.WEB, TRAINEE, "training", null, now));
            UUID id = UUID.randomUUID();
            return db.sql("""
                            WITH call AS (
                                INSERT INTO calls (id, channel, provider, provider_call_id, caller_kind, started_at, answered_at,
                                                   ivr_path, training)
                                VALUES (:id, 'WEB', 'training', :key, 'UNKNOWN', :now, :now, '{}', true))
                            INSERT INTO ivr_sessions (call_id, flow_id, flow_version, step, state, updated_at)
                            VALUES (:id, :flow, :version, 0, CAST(:state AS jsonb), :now)""")
                    .bind("id", id).bind("key", "training/" + trainee.username() + "/" + id).bind("now", now.atOffset(ZoneOffset.UTC))
                    .bind("flow", step.state().flowId()).bind("version", step.state().flowVersion())
                    .bind("state", SessionStateCodec.toJson(step.state()))
                    .then()
                    .then(render(id, step, Optional.empty(), model));
        });
    }

    @PostMapping("/console/training/{id}")
    Mono<String> press(@PathVariable UUID id, @ModelAttribute KeyForm form, ServerWebExchange exchange, Model model) {
        String key = form.typed() != null && !form.typed().isBlank() ? form.typed().strip()
                : form.key() == null ? "" : form.key();
        Input input = "-".equals(key) ? Input.TIMEOUT : "!".equals(key) ? Input.HUNG_UP
                : KEYS.matcher(key).matches() ? new Input.Digits(key) : null;
        if (input == null) {
            return Mono.just("redirect:/console/training");
        }
        return staff.of(exchange).then(db.sql("""
                        SELECT s.state::text FROM ivr_sessions s JOIN calls c ON c.id = s.call_id
                        WHERE c.id = :id AND c.training AND c.ended_at IS NULL""")
                .bind("id", id).map(row -> SessionStateCodec.fromJson(row.get(0, String.class))).one())
                .flatMap(state -> {
                    Step step = engine.step(state, input);
                    TriageResult result = completed(step.commands());
                    Mono<Optional<RoutingDecision>> decision = result == null || !(result.opensCase()
                            || step.commands().stream().anyMatch(Command.Transfer.class::isInstance))
                            ? Mono.just(Optional.empty())
                            : routing.decide(result, state.receivedAt()).map(Optional::of);
                    if (step.commands().contains(Command.AWAIT_CASE_REFERENCE)) {
                        Step read = engine.step(step.state(), new Input.CaseOpened(REFERENCE));
                        List<Command> all = new ArrayList<>(step.commands());
                        all.addAll(read.commands());
                        step = new Step(all, read.state());
                    }
                    Step taken = step;
                    boolean ended = taken.state().phase() == Phase.DONE;
                    return db.sql("""
                                    WITH session AS (
                                        UPDATE ivr_sessions SET state = CAST(:state AS jsonb), step = step + 1, updated_at = :now
                                        WHERE call_id = :id)
                                    UPDATE calls SET ivr_path = :path, ended_at = CASE WHEN :ended THEN :now ELSE NULL END
                                    WHERE id = :id""")
                            .bind("state", SessionStateCodec.toJson(taken.state())).bind("now", clock.instant().atOffset(ZoneOffset.UTC))
                            .bind("id", id).bind("path", taken.state().path().toArray(String[]::new)).bind("ended", ended)
                            .then()
                            .then(decision)
                            .flatMap(d -> render(id, taken, d, model));
                })
                .switchIfEmpty(Mono.just("redirect:/console/training"));
    }

    private Mono<String> render(UUID id, Step step, Optional<RoutingDecision> decision, Model model) {
        List<String> heard = new ArrayList<>();
        boolean textRequested = false;
        for (Command command : step.commands()) {
            if (command instanceof Command.PlayPrompt prompt) {
                heard.add(prompts.speech(prompt));
            } else if (command instanceof Command.TextReference) {
                textRequested = true;
            }
        }
        model.addAttribute("callId", id);
        model.addAttribute("heard", heard);
        model.addAttribute("ended", step.state().phase() == Phase.DONE);
        model.addAttribute("textRequested", textRequested);
        model.addAttribute("transfer", step.commands().stream().filter(Command.Transfer.class::isInstance)
                .map(c -> ((Command.Transfer) c).target().name()).findFirst().orElse(null));
        model.addAttribute("path", step.state().path());
        if (decision.isEmpty()) {
            model.addAttribute("ladder", List.of());
            return Mono.just("console/training");
        }
        return Flux.fromIterable(decision.get().ladder())
                .concatMap(rung -> rung.phone().map(phone -> db.sql("SELECT display_name FROM officers WHERE id = :id")
                                .bind("id", UUID.fromString(phone.value())).map(row -> row.get(0, String.class)).one())
                        .orElse(Mono.empty())
                        .defaultIfEmpty("")
                        .map(name -> new RungLine(rung.kind().name(), name)))
                .collectList()
                .map(ladder -> {
                    model.addAttribute("ladder", ladder);
                    return "console/training";
                });
    }

    private static TriageResult completed(List<Command> commands) {
        for (Command command : commands) {
            if (command instanceof Command.Complete complete) {
                return complete.result();
            }
        }
        return null;
    }
}
