package vn.hotline.ivr.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.hotline.ivr.flow.FlowLoader;
import vn.hotline.ivr.flow.FlowRepository;
import vn.hotline.ivr.flow.Node;
import vn.hotline.ivr.prompt.PromptCatalogs;
import vn.hotline.ivr.prompt.PromptRenderer;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Urgency;

/**
 * Walks every path of the default flow, retries and the switch to English included, by feeding each question
 * every key it offers, 0, a key it does not offer, silence and a hang-up.
 */
class DefaultFlowPathsTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T01:30:00Z"), ZoneOffset.UTC);
    static final IvrEngine ENGINE = IvrEngine.withDefaults(CLOCK);
    static final PromptCatalogs CATALOGS = PromptCatalogs.load(PromptCatalogs.DEFAULT_FOLDER);
    static final PromptRenderer RENDERER = new PromptRenderer(CATALOGS);
    static final Map<String, Node> NODES =
            FlowRepository.load(new FlowLoader(CATALOGS), FlowRepository.DEFAULT_FLOW).defaultFlow().nodes();

    /** What the walk saw. */
    static final class Walk {
        int transitions;
        int longest;
        final Set<String> smsMessages = new HashSet<>();
        final Map<String, Integer> endings = new HashMap<>();
    }

    @Test
    void everyVoicePathEndsInATransferAResultOrAHangUpWithinSixValidInputs() {
        Walk walk = walk(Channel.ASTERISK_VOICE);

        assertThat(walk.longest).isLessThanOrEqualTo(6);
        assertThat(walk.transitions).isGreaterThan(300);
        assertThat(walk.endings).containsKeys("transfer", "hangup", "abandoned");
    }

    @Test
    void everySmsMessageOfTheDefaultFlowFitsOneGsm7Segment() {
        Walk walk = walk(Channel.SMS);

        assertThat(walk.longest).isLessThanOrEqualTo(6);
        assertThat(walk.smsMessages).isNotEmpty().allSatisfy(message -> {
            assertThat(message.length()).as(message).isLessThanOrEqualTo(160);
            assertThat(Gsm7.isBasic(message)).as(message).isTrue();
        });
    }

    @Test
    void pressingOneAtTheGreetingReachesTheEmergencyLadderWithExactlyOnePromptBetween() {
        Step greeting = ENGINE.start(caller(Channel.ASTERISK_VOICE));

        Step danger = ENGINE.step(greeting.state(), new Input.Digits("1"));

        List<Command> commands = danger.commands();
        assertThat(commands).filteredOn(Command.PlayPrompt.class::isInstance).hasSize(1);
        assertThat(commands.get(0)).isInstanceOf(Command.PlayPrompt.class);
        assertThat(commands.get(commands.size() - 1))
                .isEqualTo(new Command.Transfer(vn.hotline.ivr.flow.TransferTarget.EMERGENCY_LADDER, Urgency.IMMEDIATE));
        assertThat(commands).noneMatch(Command.Gather.class::isInstance);
    }

    private static Walk walk(Channel channel) {
        Walk walk = new Walk();
        Step start = ENGINE.start(caller(channel));
        collect(walk, start);
        walk.longest = explore(walk, start.state(), new HashMap<>(), 0);
        return walk;
    }

    /**
     * The most valid inputs any path from {@code state} takes to its end. States that differ only in the path
     * walked behave the same, so each is explored once; that keeps every path covered in well under a second.
     */
    private static int explore(Walk walk, SessionState state, Map<String, Integer> memo, int depth) {
        assertThat(depth).as("path too deep at %s", state.path()).isLessThan(40);
        String key = state.node() + "|" + state.language() + "|" + state.noInputs() + "|" + state.invalids() + "|"
                + state.answers();
        Integer known = memo.get(key);
        if (known != null) {
            return known;
        }
        int most = 0;
        for (Input input : inputs(state)) {
            Step step = ENGINE.step(state, input);
            collect(walk, step);
            SessionState next = step.state();
            int taken = next.validInputs() - state.validInputs();
            walk.transitions++;
            if (next.phase() == Phase.ASKING) {
                most = Math.max(most, taken + explore(walk, next, memo, depth + 1));
            } else {
                Step end = step;
                if (next.phase() == Phase.AWAITING_REFERENCE) {
                    end = ENGINE.step(next, new Input.CaseOpened("BD-2026-000123"));
                    collect(walk, end);
                }
                if (end.state().phase() == Phase.OFFERING_TEXT) {
                    // Both answers to the offer of the reference by text end the call.
                    Step asked = ENGINE.step(end.state(), new Input.Digits(IvrEngine.TEXT_OFFER_KEY));
                    assertThat(asked.commands()).hasAtLeastOneElementOfType(Command.TextReference.class);
                    finish(walk, asked);
                    end = ENGINE.step(end.state(), Input.TIMEOUT);
                    collect(walk, end);
                }
                finish(walk, end);
                most = Math.max(most, taken);
            }
        }
        memo.put(key, most);
        return most;
    }

    private static void finish(Walk walk, Step end) {
        assertThat(end.state().phase()).isEqualTo(Phase.DONE);
        List<Command> commands = end.commands();
        Command last = commands.get(commands.size() - 1);
        String ending = last instanceof Command.Transfer ? "transfer"
                : last instanceof Command.Hangup ? "hangup"
                : last instanceof Command.Complete complete && complete.result().abandoned() ? "abandoned"
                : "other";
        assertThat(ending).as("path %s ends in %s", end.state().path(), last).isNotEqualTo("other");
        walk.endings.merge(ending, 1, Integer::sum);
    }

    private static void collect(Walk walk, Step step) {
        if (step.state().channel() == Channel.SMS) {
            String message = RENDERER.smsMessage(step.commands());
            if (!message.isEmpty()) {
                walk.smsMessages.add(message);
            }
        }
    }

    private static List<Input> inputs(SessionState state) {
        Node.Menu menu = (Node.Menu) NODES.get(state.node());
        List<Input> inputs = new ArrayList<>();
        menu.options().forEach(option -> inputs.add(answer(state, option.key())));
        inputs.add(answer(state, IvrEngine.HUMAN_KEY));
        inputs.add(answer(state, "8".repeat(menu.maxDigits())));
        inputs.add(Input.TIMEOUT);
        inputs.add(Input.HUNG_UP);
        return inputs;
    }

    private static Input answer(SessionState state, String key) {
        return state.channel() == Channel.SMS ? new Input.Text(key) : new Input.Digits(key);
    }

    private static CallerContext caller(Channel channel) {
        return new CallerContext(channel, "+84912345678", "+842563111111", null, CLOCK.instant(), null);
    }
}
