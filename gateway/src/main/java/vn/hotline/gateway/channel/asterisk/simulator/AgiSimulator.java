package vn.hotline.gateway.channel.asterisk.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays Asterisk's side of a FastAGI call over a real socket, in Asterisk 22's exact wire text (see
 * {@code fixtures/asterisk/}): the environment block, the replies, the asynchronous {@code HANGUP} line, {@code 511}
 * for channel commands after a hang-up, and a socket closed by either side. What the caller does is a {@link Caller}.
 */
public final class AgiSimulator {

    /** What Asterisk answers a channel command after the caller hung up. */
    public static final String DEAD_CHANNEL = "511 Command Not Permitted on a dead channel or intercept routine";

    /** The caller's side: what to answer to each media command. */
    public interface Caller {

        /** The keys for a {@code GET DATA} of {@code file}: digits, empty for a timeout, or {@link Action}. */
        Action getData(String file, int maxDigits);

        /** The key that interrupts a {@code STREAM FILE} (0 when it plays to the end), or hang up / close. */
        default Action stream(String file) {
            return Action.keys("");
        }

        /** The key for a {@code WAIT FOR DIGIT} (empty for a timeout). */
        default Action waitForDigit() {
            return Action.keys("");
        }
    }

    /**
     * What the caller does at a media command.
     *
     * @param kind KEYS (press these, or nothing), HANG_UP (BYE during the command) or CLOSE (Asterisk's socket drops)
     * @param keys the keys pressed
     */
    public record Action(Kind kind, String keys) {

        /** How a command ends; GONE: the caller had hung up before it, so Asterisk answers HANGUP and 511. */
        public enum Kind { KEYS, HANG_UP, GONE, CLOSE }

        public static Action keys(String keys) {
            return new Action(Kind.KEYS, keys);
        }

        public static Action hangUp() {
            return new Action(Kind.HANG_UP, "");
        }

        public static Action gone() {
            return new Action(Kind.GONE, "");
        }

        public static Action close() {
            return new Action(Kind.CLOSE, "");
        }
    }

    /**
     * What happened on the wire.
     *
     * @param transcript every line, {@code >> } from the server and {@code << } from "Asterisk", as in the fixtures
     * @param variables the channel variables the server set, last value wins
     * @param closedBy {@code server} when the server closed the socket, {@code asterisk} when the simulator did,
     *     {@code timeout} when neither did in time
     * @param elapsed from connect to the end
     * @param serverNanos for each command, the time from the simulator's last write to the command's arrival: the
     *     server's time to produce it
     */
    public record Result(List<String> transcript, Map<String, String> variables, String closedBy, Duration elapsed,
                         List<Long> serverNanos) {

        /** The commands the server sent, in order. */
        public List<String> commands() {
            return transcript.stream().filter(l -> l.startsWith(">> ")).map(l -> l.substring(3)).toList();
        }

        public String variable(String name) {
            return variables.get(name);
        }
    }

    private final String host;
    private final int port;
    private final Duration timeout;
    private final String localAddress;

    /** A simulator connecting from the default local address. */
    public AgiSimulator(String host, int port, Duration timeout) {
        this(host, port, timeout, null);
    }

    /** A simulator connecting from {@code localAddress} (e.g. 127.0.0.2, to play another Asterisk server). */
    public AgiSimulator(String host, int port, Duration timeout, String localAddress) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.localAddress = localAddress;
    }

    /**
     * The environment block Asterisk 22.10.1 sent in {@code fixtures/asterisk/ivr-digits/agi.txt}, for another
     * unique id, caller number, script and language argument.
     */
    public static String environment(String script, String uniqueId, String callerId, String... args) {
        StringBuilder arguments = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            arguments.append("agi_arg_").append(i + 1).append(": ").append(args[i]).append('\n');
        }
        return "agi_network: yes\n"
                + "agi_network_script: " + script + "\n"
                + "agi_request: agi://127.0.0.1:4573/" + script + "\n"
                + "agi_channel: PJSIP/sipp-00000000\n"
                + "agi_language: en\n"
                + "agi_type: PJSIP\n"
                + "agi_uniqueid: " + uniqueId + "\n"
                + "agi_version: 22.10.1\n"
                + "agi_callerid: " + callerId + "\n"
                + "agi_calleridname: SIPp Caller\n"
                + "agi_callingpres: 0\n"
                + "agi_callingani2: 0\n"
                + "agi_callington: 0\n"
                + "agi_callingtns: 0\n"
                + "agi_dnid: 111\n"
                + "agi_rdnis: unknown\n"
                + "agi_context: hotline-in\n"
                + "agi_extension: 111\n"
                + "agi_priority: 2\n"
                + "agi_enhanced: 0.0\n"
                + "agi_accountcode: \n"
                + "agi_threadid: 140484233946816\n"
                + arguments
                + "\n";
    }

    /** Connects, sends {@code environment} as it is, and answers the server until one side closes. */
    public Result call(String environment, Caller caller) throws IOException {
        long started = System.nanoTime();
        List<String> transcript = new ArrayList<>();
        Map<String, String> variables = new LinkedHashMap<>();
        List<Long> serverNanos = new ArrayList<>();
        long[] lastWrite = {started};
        String closedBy;
        try (Socket socket = new Socket()) {
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line : environment.split("(?<=\n)")) {
                transcript.add("<< " + line.stripTrailing());
            }
            write(out, environment);
            lastWrite[0] = System.nanoTime();
            closedBy = converse(in, out, caller, transcript, variables, serverNanos, lastWrite);
            if ("asterisk".equals(closedBy)) {
                socket.setSoLinger(true, 0);
            }
        }
        return new Result(List.copyOf(transcript), Map.copyOf(variables), closedBy,
                Duration.ofNanos(System.nanoTime() - started), List.copyOf(serverNanos));
    }

    private String converse(BufferedReader in, OutputStream out, Caller caller, List<String> transcript,
            Map<String, String> variables, List<Long> serverNanos, long[] lastWrite) throws IOException {
        AgiDialogue dialogue = new AgiDialogue(caller);
        try {
            while (true) {
                String command;
                try {
                    command = in.readLine();
                } catch (SocketTimeoutException e) {
                    return "timeout";
                } catch (IOException e) {
                    return "server";
                }
                if (command == null) {
                    return "server";
                }
                serverNanos.add(System.nanoTime() - lastWrite[0]);
                transcript.add(">> " + command);
                AgiDialogue.Answer answer = dialogue.answer(command);
                if (answer.close()) {
                    return "asterisk";
                }
                for (String line : answer.lines()) {
                    send(out, transcript, lastWrite, line);
                }
            }
        } finally {
            variables.putAll(dialogue.variables());
        }
    }

    private static void send(OutputStream out, List<String> transcript, long[] lastWrite, String line) throws IOException {
        transcript.add("<< " + line);
        write(out, line + "\n");
        lastWrite[0] = System.nanoTime();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
