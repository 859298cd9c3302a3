package vn.hotline.ivr.engine;

import java.util.List;

/**
 * The outcome of one engine step: commands to carry out in order, and the state to store for the next step.
 */
public record Step(List<Command> commands, SessionState state) {

    public Step {
        commands = List.copyOf(commands);
    }
}
