package vn.hotline.gateway.channel.asterisk.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import vn.hotline.gateway.channel.asterisk.simulator.AmiRecording.AmiMessage;

/**
 * Asterisk's side of the manager interface for tests, on a loopback TCP port, speaking the wire text of the recordings
 * in the shared fixtures ({@code ami-login-and-originate}): the banner line {@code Asterisk Call Manager/11.0.0} (no
 * empty line after it), {@code Challenge} and {@code Login} (plain secret or MD5 key) answered with the action's
 * {@code ActionID}, {@code FullyBooted} after a login with events on, {@code Ping}, {@code Logoff} then close, and
 * {@code Error} for anything else. {@code Originate} is answered {@code Originate successfully queued} and handed to
 * the test's handler, which plays the channel's events. Events are written to every session logged in with events.
 */
public final class AmiSimulator implements AutoCloseable {

    public static final String BANNER = "Asterisk Call Manager/11.0.0\r\n";

    private final String username;
    private final String secret;
    private final ServerSocket server;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final List<AmiAction> actions = new CopyOnWriteArrayList<>();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile BiConsumer<AmiSimulator, AmiAction> originateHandler = (sim, action) -> { };
    private volatile boolean refuseConnections;

    public AmiSimulator(String username, String secret) throws IOException {
        this.username = username;
        this.secret = secret;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "ami-simulator-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Who answers an Originate: the handler plays the channel's events with {@link #play}. */
    public void onOriginate(BiConsumer<AmiSimulator, AmiAction> handler) {
        this.originateHandler = handler;
    }

    /** Writes the events to every session logged in with events on; returns how many sessions got them. */
    public int play(List<AmiMessage> events) {
        int delivered = 0;
        for (Session s : sessions) {
            if (s.loggedIn && s.events && !s.mute && s.write(events.stream().map(AmiMessage::wire).reduce("", String::concat))) {
                delivered++;
            }
        }
        return delivered;
    }

    /** Closes every client connection, as a restarted Asterisk or a broken network would. */
    public void dropConnections() {
        for (Session s : sessions) {
            s.close();
        }
    }

    /** The sessions open now stop answering and sending anything, their TCP connections left open (a hung Asterisk). */
    public void hangCurrentSessions() {
        sessions.forEach(s -> s.mute = true);
    }

    /** While set, a new connection is closed before the banner (Asterisk down). */
    public void refuseConnections(boolean refuse) {
        this.refuseConnections = refuse;
    }

    public int loggedInSessions() {
        return (int) sessions.stream().filter(s -> s.loggedIn).count();
    }

    public int logins() {
        return logins.get();
    }

    /** The most sessions ever logged in at the same time. */
    public int maxConcurrentLogins() {
        return maxConcurrent.get();
    }

    public List<AmiAction> actions() {
        return List.copyOf(actions);
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                if (refuseConnections) {
                    socket.close();
                    continue;
                }
                Session session = new Session(socket);
                sessions.add(session);
                Thread t = new Thread(session::run, "ami-simulator-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** An action as the client sent it: headers in order (Variable may repeat). */
    public record AmiAction(List<String[]> headers) {

        public String get(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst().orElse(null);
        }

        public List<String> all(String name) {
            return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
        }

        public String name() {
            return get("Action");
        }

        @Override
        public String toString() {
            return "AmiAction[" + name() + " " + get("ActionID") + "]";
        }

        /** The action as wire text, for tests that look for what must never be sent or logged. */
        public String text() {
            StringBuilder b = new StringBuilder();
            headers.forEach(h -> b.append(h[0]).append(": ").append(h[1]).append("\r\n"));
            return b.toString();
        }
    }

    private final class Session {
        private final Socket socket;
        private final OutputStream out;
        private volatile boolean loggedIn;
        private volatile boolean events = true;
        private volatile boolean mute;
        private String challenge;

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void run() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                write(BANNER);
                List<String[]> headers = new ArrayList<>();
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!headers.isEmpty()) {
                            handle(new AmiAction(List.copyOf(headers)));
                            headers.clear();
                        }
                        continue;
                    }
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
                    }
                }
            } catch (IOException e) {
                // the client or the test closed the connection
            } finally {
                close();
            }
        }

        private void handle(AmiAction action) {
            actions.add(action);
            if (mute) {
                return;
            }
            String id = action.get("ActionID");
            String name = action.name() == null ? "" : action.name().toLowerCase(Locale.ROOT);
            switch (name) {
                case "challenge" -> {
                    challenge = Integer.toString(ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999));
                    respond(id, "Success", "Challenge: " + challenge);
                }
                case "login" -> login(action, id);
                case "ping" -> {
                    if (requireLogin(id)) {
                        respond(id, "Success", "Ping: Pong\r\nTimestamp: " + System.currentTimeMillis() / 1000.0);
                    }
                }
                case "logoff" -> {
                    respond(id, "Goodbye", "Message: Thanks for all the fish.");
                    close();
                }
                case "originate" -> {
                    if (requireLogin(id)) {
                        respond(id, "Success", "Message: Originate successfully queued");
                        originateHandler.accept(AmiSimulator.this, action);
                    }
                }
                default -> respond(id, "Error", "Message: " + (loggedIn ? "Invalid/unknown command" : "Missing action in request"));
            }
        }

        private void login(AmiAction action, String id) {
            boolean ok = username.equals(action.get("Username"))
                    && ("MD5".equalsIgnoreCase(action.get("AuthType"))
                            ? challenge != null && md5(challenge + secret).equalsIgnoreCase(action.get("Key"))
                            : secret.equals(action.get("Secret")));
            if (!ok) {
                respond(id, "Error", "Message: Authentication failed");
                close();
                return;
            }
            events = !"off".equalsIgnoreCase(action.get("Events"));
            respond(id, "Success", "Message: Authentication accepted");
            if (events) {
                write("Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 355\r\nLastReload: 355\r\nStatus: Fully Booted\r\n\r\n");
            }
            loggedIn = true;
            logins.incrementAndGet();
            maxConcurrent.accumulateAndGet(loggedInSessions(), Math::max);
        }

        private boolean requireLogin(String id) {
            if (!loggedIn) {
                respond(id, "Error", "Message: Permission denied");
            }
            return loggedIn;
        }

        private void respond(String id, String response, String rest) {
            write("Response: " + response + "\r\n" + (id == null ? "" : "ActionID: " + id + "\r\n") + rest + "\r\n\r\n");
        }

        synchronized boolean write(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException e) {
                close();
                return false;
            }
        }

        void close() {
            loggedIn = false;
            sessions.remove(this);
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
