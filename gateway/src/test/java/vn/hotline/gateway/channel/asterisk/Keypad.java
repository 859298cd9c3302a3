package vn.hotline.gateway.channel.asterisk;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator.Action;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator.Caller;

/**
 * A caller for the simulator: one action per {@code GET DATA}, in order: digits, {@code -} for silence,
 * {@code hangup}, {@code gone} (hung up before the command: HANGUP then 511) or {@code close} (Asterisk's socket drops).
 * Prompts play to the end; when the list runs out the caller hangs up.
 */
public final class Keypad implements Caller {

    private final Deque<String> answers;
    private final Runnable beforeEachAnswer;

    private Keypad(Deque<String> answers, Runnable beforeEachAnswer) {
        this.answers = answers;
        this.beforeEachAnswer = beforeEachAnswer;
    }

    public static Keypad of(String answers) {
        return new Keypad(new ArrayDeque<>(answers.isBlank() ? java.util.List.of() : Arrays.asList(answers.trim().split(" +"))),
                () -> { });
    }

    /** The same keypad, running {@code hook} before it answers each GET DATA. */
    Keypad before(Runnable hook) {
        return new Keypad(answers, hook);
    }

    @Override
    public Action getData(String file, int maxDigits) {
        beforeEachAnswer.run();
        String next = answers.poll();
        if (next == null || next.equals("hangup")) {
            return Action.hangUp();
        }
        if (next.equals("gone")) {
            return Action.gone();
        }
        if (next.equals("close")) {
            return Action.close();
        }
        return Action.keys(next.equals("-") ? "" : next);
    }
}
