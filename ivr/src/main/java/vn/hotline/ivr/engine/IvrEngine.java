package vn.hotline.ivr.engine;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import vn.hotline.ivr.engine.Input.CaseOpened;
import vn.hotline.ivr.engine.Input.Digits;
import vn.hotline.ivr.engine.Input.HungUp;
import vn.hotline.ivr.engine.Input.Text;
import vn.hotline.ivr.engine.Input.Timeout;
import vn.hotline.ivr.flow.Answers;
import vn.hotline.ivr.flow.Facts;
import vn.hotline.ivr.flow.Flow;
import vn.hotline.ivr.flow.FlowLoader;
import vn.hotline.ivr.flow.FlowRepository;
import vn.hotline.ivr.flow.KeywordTable;
import vn.hotline.ivr.flow.MenuOption;
import vn.hotline.ivr.flow.Node;
import vn.hotline.ivr.prompt.PromptCatalogs;
import vn.hotline.ivr.text.TextNormalizer;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Consents;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.ivr.triage.Urgency;

/**
 * The IVR triage engine: (flow, session state, input, clock) to (commands, new state). Pure and thread-safe: it
 * keeps no session between calls and touches nothing but its arguments and the clock.
 */
public final class IvrEngine {

    /** The key that reaches a person from every menu. */
    public static final String HUMAN_KEY = "0";

    /** Failed attempts (silence or not understood) on one question before the caller gets a person. */
    public static final int MAX_FAILURES = 2;

    private static final String TERMINATOR = "#";
    /** The key that accepts the offer of the reference by text message. */
    public static final String TEXT_OFFER_KEY = "1";
    /** How long the offer waits for the key before the call ends without a text. */
    private static final int TEXT_OFFER_SECONDS = 6;
    private static final int SKIP_LOOKAHEAD = 2;

    private final FlowRepository flows;
    private final KeywordTable keywords;
    private final Clock clock;

    public IvrEngine(FlowRepository flows, KeywordTable keywords, Clock clock) {
        this.flows = Objects.requireNonNull(flows, "flows");
        this.keywords = Objects.requireNonNull(keywords, "keywords");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An engine on the default flow, prompt catalogs and keyword table of this module. */
    public static IvrEngine withDefaults(Clock clock) {
        PromptCatalogs catalogs = PromptCatalogs.load(PromptCatalogs.DEFAULT_FOLDER);
        FlowRepository flows = FlowRepository.load(new FlowLoader(catalogs), FlowRepository.DEFAULT_FLOW,
                FlowRepository.EARLIER_DEFAULT_FLOWS);
        return new IvrEngine(flows, KeywordTable.load(KeywordTable.DEFAULT_TABLE), clock);
    }

    /** Starts a contact on the default flow. */
    public Step start(CallerContext caller) {
        Flow flow = flows.defaultFlow();
        Answers answers = caller.withheld() ? Answers.NONE.withCallBackSafe(false) : Answers.NONE;
        Language language = caller.languageHint() == null ? Language.VI : caller.languageHint();
        if (caller.firstText() != null) {
            Facts facts = keywords.facts(TextNormalizer.normalise(caller.firstText()));
            answers = answers.fillFrom(facts.answers());
            language = facts.language() == null ? language : facts.language();
        }
        SessionState state = new SessionState(flow.id(), flow.version(), flow.start(), Phase.ASKING,
                caller.channel(), language, caller.receivedAt(), clock.instant(), answers, 0, 0, 0, List.of(), List.of());
        List<Command> out = new ArrayList<>(4);
        state = enter(flow, state, flow.start(), out);
        return new Step(out, state);
    }

    /** Takes one step of a contact from its stored state. */
    public Step step(SessionState stored, Input input) {
        Objects.requireNonNull(input, "input");
        if (stored.phase() == Phase.DONE) {
            return new Step(List.of(), stored);
        }
        Flow flow = flows.get(stored.flowId(), stored.flowVersion());
        SessionState state = stored.at(clock.instant());
        List<Command> out = new ArrayList<>(4);
        if (state.phase() == Phase.AWAITING_REFERENCE) {
            state = afterResult(flow, state, input, out);
        } else if (state.phase() == Phase.OFFERING_TEXT) {
            state = afterTextOffer((Node.Result) flow.node(state.node()), state, input, out);
        } else {
            state = answer(flow, (Node.Menu) flow.node(state.node()), state, input, out);
        }
        return new Step(out, state);
    }

    private SessionState answer(Flow flow, Node.Menu menu, SessionState state, Input input, List<Command> out) {
        if (input instanceof Digits digits) {
            return choose(flow, menu, state, digits.digits(), out);
        }
        if (input instanceof Text text) {
            return read(flow, menu, state, text.text(), out);
        }
        if (input instanceof Timeout) {
            return retry(flow, menu, state.failed(true), FlowLoader.PROMPT_NO_INPUT, out);
        }
        if (input instanceof HungUp) {
            out.add(new Command.Complete(result(state, menu.id())));
            return state.in(Phase.DONE);
        }
        throw new IllegalStateException(flow.source() + ": node '" + menu.id() + "' asked a question; "
                + input.getClass().getSimpleName() + " is not an answer");
    }

    private SessionState choose(Flow flow, Node.Menu menu, SessionState state, String key, List<Command> out) {
        if (HUMAN_KEY.equals(key)) {
            return enter(flow, state.answered(state.answers(), state.language()), flow.human(), out);
        }
        MenuOption option = menu.option(key);
        if (option == null) {
            return retry(flow, menu, state.failed(false), FlowLoader.PROMPT_INVALID, out);
        }
        return take(flow, menu, state, option, out);
    }

    /** Free text: exact key, then the menu's own words, then what the keyword table finds. */
    private SessionState read(Flow flow, Node.Menu menu, SessionState state, String text, List<Command> out) {
        String trimmed = text.strip();
        if (HUMAN_KEY.equals(trimmed) || menu.option(trimmed) != null) {
            return choose(flow, menu, state, trimmed, out);
        }
        String folded = TextNormalizer.normalise(trimmed);
        if (HUMAN_KEY.equals(folded) || menu.option(folded) != null) {
            return choose(flow, menu, state, folded, out);
        }
        MenuOption byWords = menu.optionByWords(folded);
        if (byWords != null) {
            return take(flow, menu, state, byWords, out);
        }
        Facts facts = keywords.facts(folded);
        if (facts.human()) {
            return enter(flow, state.answered(state.answers(), state.language()), flow.human(), out);
        }
        SessionState informed = state.withAnswers(state.answers().fillFrom(facts.answers()), state.language());
        MenuOption implied = implied(flow, menu, informed.answers(), SKIP_LOOKAHEAD);
        if (implied != null) {
            return take(flow, menu, informed, implied, out);
        }
        if (menu.freeTextNext() != null && TextNormalizer.hasLetter(folded)) {
            String location = trimmed.length() > TextNormalizer.MAX_CHARS
                    ? trimmed.substring(0, TextNormalizer.MAX_CHARS) : trimmed;
            SessionState located = informed.answered(informed.answers().withLocationText(location),
                    informed.language());
            return enter(flow, located, menu.freeTextNext(), out);
        }
        return retry(flow, menu, informed.failed(false), FlowLoader.PROMPT_INVALID, out);
    }

    private SessionState take(Flow flow, Node.Menu menu, SessionState state, MenuOption option,
            List<Command> out) {
        if (option.language() == state.language() && option.set().knowsNothing()) {
            // "For English, press 9" is not a choice once the caller hears English.
            return retry(flow, menu, state.failed(false), FlowLoader.PROMPT_INVALID, out);
        }
        Language language = option.language() == null ? state.language() : option.language();
        return enter(flow, state.answered(state.answers().with(option.set()), language), option.next(), out);
    }

    private SessionState retry(Flow flow, Node.Menu menu, SessionState state, String prompt, List<Command> out) {
        if (state.noInputs() + state.invalids() >= MAX_FAILURES) {
            return enter(flow, state, flow.human(), out);
        }
        out.add(play(prompt, state));
        ask(flow, menu, state, out);
        return state;
    }

    /** Walks from {@code nodeId} through nodes that need no answer, up to the next question or the end. */
    private SessionState enter(Flow flow, SessionState start, String nodeId, List<Command> out) {
        SessionState state = start;
        String id = nodeId;
        for (int hops = 0; hops <= flow.nodes().size(); hops++) {
            Node node = flow.node(id);
            state = state.visit(id);
            if (node instanceof Node.Menu menu) {
                MenuOption implied = implied(flow, menu, state.answers(), SKIP_LOOKAHEAD);
                if (implied == null) {
                    ask(flow, menu, state, out);
                    return state.in(Phase.ASKING);
                }
                Language language = implied.language() == null ? state.language() : implied.language();
                state = state.withAnswers(state.answers().with(implied.set()), language);
                id = implied.next();
            } else if (node instanceof Node.Say say) {
                out.add(play(say.prompt(), state));
                id = say.next();
            } else if (node instanceof Node.Branch branch) {
                id = branch.next(state.answers());
            } else if (node instanceof Node.RecordMessage record) {
                out.add(play(record.prompt(), state));
                out.add(new Command.RecordMessage(record.maxSeconds(), TERMINATOR));
                id = record.next();
            } else if (node instanceof Node.Transfer transfer) {
                return transfer(transfer, state, true, out);
            } else {
                return complete((Node.Result) node, state, out);
            }
        }
        throw new IllegalStateException(flow.source() + ": node '" + id + "': walked every node without a question");
    }

    /**
     * The one option that the answers already known choose, so a text conversation skips what the caller said
     * unprompted; {@code null} when none or several do. An option that only leads to a submenu counts when one
     * of the submenu's options does.
     */
    private static MenuOption implied(Flow flow, Node.Menu menu, Answers known, int lookahead) {
        if (known.knowsNothing()) {
            return null;
        }
        MenuOption found = null;
        for (MenuOption option : menu.options()) {
            boolean chosen;
            if (option.onlyNavigates()) {
                chosen = lookahead > 0 && flow.node(option.next()) instanceof Node.Menu next
                        && implied(flow, next, known, lookahead - 1) != null;
            } else {
                chosen = known.agreesWith(option.set());
            }
            if (chosen) {
                if (found != null) {
                    return null;
                }
                found = option;
            }
        }
        return found;
    }

    private SessionState transfer(Node.Transfer transfer, SessionState state, boolean withResult,
            List<Command> out) {
        if (transfer.prompt() != null) {
            out.add(play(transfer.prompt(), state));
        }
        if (withResult) {
            out.add(new Command.Complete(result(state, null)));
        }
        out.add(new Command.Transfer(transfer.target(), urgency(state.answers())));
        return state.in(Phase.DONE);
    }

    private SessionState complete(Node.Result node, SessionState state, List<Command> out) {
        TriageResult result = result(state, null);
        out.add(new Command.Complete(result));
        if (result.opensCase()) {
            out.add(Command.AWAIT_CASE_REFERENCE);
            return state.in(Phase.AWAITING_REFERENCE);
        }
        return close(node, state, out);
    }

    private SessionState afterResult(Flow flow, SessionState state, Input input, List<Command> out) {
        if (input instanceof CaseOpened opened) {
            Node.Result node = (Node.Result) flow.node(state.node());
            out.add(new Command.PlayPrompt(node.referencePrompt(), state.language(),
                    Map.of("reference", opened.reference())));
            if (offersText(node, state)) {
                node.closing().forEach(prompt -> out.add(play(prompt, state)));
                out.add(play(node.textOffer(), state));
                out.add(new Command.Gather(GatherMode.DIGITS, 1, TEXT_OFFER_SECONDS, TERMINATOR));
                return state.in(Phase.OFFERING_TEXT);
            }
            return close(node, state, out);
        }
        if (input instanceof HungUp) {
            return state.in(Phase.DONE);
        }
        if (input instanceof Timeout) {
            SessionState human = state.visit(flow.human());
            return transfer((Node.Transfer) flow.node(flow.human()), human, false, out);
        }
        return state;
    }

    /**
     * The reference by text message is offered on voice only (an SMS conversation has it already), and never when the
     * caller said a call-back on this number is not safe or the number is withheld: a text is as visible as a call.
     */
    private static boolean offersText(Node.Result node, SessionState state) {
        return node.textOffer() != null && state.channel() != Channel.SMS
                && !Boolean.FALSE.equals(state.answers().callBackSafe());
    }

    /** Key 1 asks for the text; anything else, silence or a hang-up ends the call without one. */
    private static SessionState afterTextOffer(Node.Result node, SessionState state, Input input, List<Command> out) {
        if (input instanceof Digits digits && TEXT_OFFER_KEY.equals(digits.digits())) {
            out.add(new Command.TextReference(state.language()));
            out.add(play(node.textSent(), state));
        }
        if (!(input instanceof HungUp)) {
            out.add(Command.HANGUP);
        }
        return state.in(Phase.DONE);
    }

    private static SessionState close(Node.Result node, SessionState state, List<Command> out) {
        for (String prompt : node.closing()) {
            out.add(play(prompt, state));
        }
        out.add(Command.HANGUP);
        return state.in(Phase.DONE);
    }

    private static void ask(Flow flow, Node.Menu menu, SessionState state, List<Command> out) {
        out.add(play(menu.prompt(), state));
        if (state.channel() == Channel.SMS) {
            out.add(new Command.Gather(GatherMode.TEXT, TextNormalizer.MAX_CHARS, flow.smsTimeoutSeconds(), ""));
        } else {
            out.add(new Command.Gather(GatherMode.DIGITS, menu.maxDigits(), menu.timeoutSeconds(), TERMINATOR));
        }
    }

    private static Command.PlayPrompt play(String key, SessionState state) {
        return new Command.PlayPrompt(key, state.language(), Map.of());
    }

    private static Urgency urgency(Answers answers) {
        return answers.urgency() == null ? Urgency.NORMAL : answers.urgency();
    }

    private static TriageResult result(SessionState state, String abandonedAt) {
        Answers a = state.answers();
        LocationHint location = a.formerDistrict() != null ? new LocationHint.FormerDistrict(a.formerDistrict())
                : a.locationText() != null ? new LocationHint.FreeText(a.locationText()) : LocationHint.NONE;
        return new TriageResult(
                state.channel(),
                state.language(),
                urgency(a),
                a.category() == null ? Category.UNKNOWN : a.category(),
                a.reporterRole() == null ? ReporterRole.UNKNOWN : a.reporterRole(),
                a.ageBand() == null ? AgeBand.UNKNOWN : a.ageBand(),
                location,
                new Consents(a.contactSchool(), a.shareWithPolice(), a.callBackSafe()),
                Optional.ofNullable(abandonedAt),
                state.path());
    }
}
