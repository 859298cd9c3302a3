package vn.hotline.gateway.channel.asterisk.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator.Action;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator.Caller;

/**
 * Asterisk's side of one FastAGI call, one command at a time: the lines Asterisk 22 writes back (see
 * {@code fixtures/asterisk/}), the channel variables the script set, and whether the channel is already dead. Knows
 * nothing of sockets, so the blocking {@link AgiSimulator} and a non-blocking load driver answer alike.
 */
public final class AgiDialogue {

    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * What Asterisk does after a command.
     *
     * @param lines the lines it writes, in order (without line ends)
     * @param close true when Asterisk drops the socket instead of answering
     */
    public record Answer(List<String> lines, boolean close) {
    }

    private final Caller caller;
    private final Map<String, String> variables = new LinkedHashMap<>();
    private boolean dead;

    public AgiDialogue(Caller caller) {
        this.caller = caller;
    }

    /** The channel variables the script set, last value wins. */
    public Map<String, String> variables() {
        return variables;
    }

    /** True for a command that waits on the caller's keys ({@code GET DATA}). */
    public static boolean waitsForCaller(String command) {
        return command.startsWith("GET DATA");
    }

    /** True for a command Asterisk answers only once its sound file has played ({@code STREAM FILE}). */
    public static boolean plays(String command) {
        return command.startsWith("STREAM FILE");
    }

    /** Asterisk's answer to one command line. */
    public Answer answer(String command) {
        List<String> args = quoted(command);
        Action action = null;
        String reply;
        if (command.startsWith("SET VARIABLE")) {
            variables.put(args.get(0), args.size() > 1 ? args.get(1) : "");
            reply = "200 result=1";
        } else if (command.startsWith("VERBOSE") || command.startsWith("GET VARIABLE")) {
            reply = command.startsWith("VERBOSE") ? "200 result=1" : "200 result=0";
        } else if (dead) {
            reply = AgiSimulator.DEAD_CHANNEL;
        } else if (command.equals("ANSWER")) {
            reply = "200 result=0";
        } else if (command.equals("HANGUP")) {
            dead = true;
            return new Answer(List.of("200 result=1", "HANGUP"), false);
        } else if (command.startsWith("STREAM FILE")) {
            action = caller.stream(args.get(0));
            reply = action.kind() == Action.Kind.KEYS
                    ? "200 result=" + (action.keys().isEmpty() ? 0 : (int) action.keys().charAt(0)) + " endpos=8000"
                    : "200 result=-1 endpos=4000";
        } else if (command.startsWith("GET DATA")) {
            String[] words = command.substring(command.lastIndexOf('"') + 1).trim().split(" ");
            int max = words.length > 1 ? Integer.parseInt(words[1]) : 1024;
            action = caller.getData(args.get(0), max);
            reply = action.kind() == Action.Kind.KEYS
                    ? (action.keys().isEmpty() ? "200 result= (timeout)" : "200 result=" + action.keys())
                    : "200 result=-1";
        } else if (command.startsWith("WAIT FOR DIGIT")) {
            action = caller.waitForDigit();
            reply = action.kind() == Action.Kind.KEYS
                    ? "200 result=" + (action.keys().isEmpty() ? 0 : (int) action.keys().charAt(0))
                    : "200 result=-1";
        } else {
            reply = "510 Invalid or unknown command";
        }
        if (action == null || action.kind() == Action.Kind.KEYS) {
            return new Answer(List.of(reply), false);
        }
        dead = true;
        switch (action.kind()) {
            case CLOSE:
                return new Answer(List.of(), true);
            case GONE:
                return new Answer(List.of("HANGUP", AgiSimulator.DEAD_CHANNEL), false);
            default:
                return new Answer(List.of(reply, "HANGUP"), false);
        }
    }

    private static List<String> quoted(String command) {
        List<String> args = new ArrayList<>();
        Matcher m = QUOTED.matcher(command);
        while (m.find()) {
            args.add(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return args;
    }
}
