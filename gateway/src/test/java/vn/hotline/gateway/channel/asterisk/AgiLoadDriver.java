package vn.hotline.gateway.channel.asterisk;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import vn.hotline.gateway.channel.asterisk.simulator.AgiDialogue;
import vn.hotline.gateway.channel.asterisk.simulator.AgiSimulator;

/**
 * Simulated Asterisk calls for the load benchmark, all on one thread: non-blocking sockets and one selector, a caller's
 * thinking and a prompt's playing as timers rather than sleeping threads. The load generator shares the machine with the server it
 * measures, so it must cost little CPU and never be the reason a command seems slow. Each call answers through an
 * {@link AgiDialogue}, the same Asterisk side as the {@link AgiSimulator} of the transcript tests.
 */
final class AgiLoadDriver {

    /**
     * A call that ended: the channel variables the script set and the server time of each command, in order (primitive,
     * so that the figures of thousands of calls kept for the report add no objects for the collector to trace).
     */
    record Ended(Map<String, String> variables, long[] serverNanos, boolean closedByServer) {
    }

    private final InetSocketAddress server;
    private final InetSocketAddress local;
    private final Supplier<String> environments;
    private final Supplier<AgiSimulator.Caller> callers;
    private final long thinkNanos;
    private final long playNanos;
    /**
     * The one read buffer of every call: a read is decoded before the next. Asterisk's side of a call lives in another
     * process in production, so the driver keeps as little per call on the server's heap as it can.
     */
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    private int inFlight;
    private int peakInFlight;
    private long cpuNanos;

    /**
     * @param localAddress the address the calls come from (the server admits only its Asterisk servers)
     * @param environments the environment block of each new call
     * @param callers the caller of each new call
     * @param think how long a caller thinks before answering each {@code GET DATA}
     * @param play how long each {@code STREAM FILE} plays before Asterisk answers it, as on a real line
     */
    AgiLoadDriver(String localAddress, int port, Supplier<String> environments, Supplier<AgiSimulator.Caller> callers,
            Duration think, Duration play) {
        this.server = new InetSocketAddress("127.0.0.1", port);
        this.local = new InetSocketAddress(localAddress, 0);
        this.environments = environments;
        this.callers = callers;
        this.thinkNanos = think.toNanos();
        this.playNanos = play.toNanos();
    }

    /** CPU time the driver's thread spent in the last run: the load generator's own share of the process. */
    long cpuNanos() {
        return cpuNanos;
    }

    /** The most calls that were up at once in the last run. */
    int peakInFlight() {
        return peakInFlight;
    }

    /**
     * Places {@code total} calls at {@code rate} a second and returns once every one has ended (or {@code limit}
     * passed); {@code ended} hears of each call as it ends, {@code tick} runs about every quarter second.
     */
    void run(int rate, int total, Duration limit, Consumer<Ended> ended, Runnable tick) throws IOException {
        inFlight = 0;
        peakInFlight = 0;
        long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long begin = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        long deadline = begin + limit.toNanos();
        long nextTick = begin;
        int placed = 0;
        int done = 0;
        PriorityQueue<Reply> later = new PriorityQueue<>(Comparator.comparingLong(Reply::at));
        try (Selector selector = Selector.open()) {
            while (done < total) {
                long now = System.nanoTime();
                if (now > deadline) {
                    throw new IllegalStateException((total - done) + " calls had not ended after " + limit);
                }
                while (placed < total && begin + placed * interval <= now) {
                    place(selector);
                    placed++;
                }
                while (!later.isEmpty() && later.peek().at() <= now) {
                    Reply reply = later.poll();
                    reply.call().send(reply.lines());
                }
                if (now >= nextTick) {
                    tick.run();
                    nextTick = now + 250_000_000L;
                }
                long wake = nextTick;
                if (placed < total) {
                    wake = Math.min(wake, begin + placed * interval);
                }
                if (!later.isEmpty()) {
                    wake = Math.min(wake, later.peek().at());
                }
                long waitNanos = wake - System.nanoTime();
                if (waitNanos > 0) {
                    // Rounded up to a whole millisecond: a timer a little late costs nothing measured (server time
                    // counts from the write), while spinning on selectNow would eat the CPU the server is measured on.
                    selector.select((waitNanos + 999_999L) / 1_000_000L);
                } else {
                    selector.selectNow();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Call call = (Call) key.attachment();
                    if (call.step(key, later)) {
                        call.end();
                        done++;
                        inFlight--;
                        ended.accept(new Ended(Map.copyOf(call.dialogue.variables()),
                                Arrays.copyOf(call.serverNanos, call.commands), call.closedByServer));
                    }
                }
                selector.selectedKeys().clear();
            }
        } finally {
            cpuNanos = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore;
        }
    }

    private void place(Selector selector) throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.bind(local);
        Call call = new Call(channel, new AgiDialogue(callers.get()), environments.get());
        boolean connected = channel.connect(server);
        call.key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, call);
        if (connected) {
            call.connected();
        }
        peakInFlight = Math.max(peakInFlight, ++inFlight);
    }

    /** Lines to write at a later time: the answer to a menu, once the caller has thought. */
    private record Reply(long at, Call call, List<String> lines) {
    }

    /** One call's socket and Asterisk side. */
    private final class Call {

        private final SocketChannel channel;
        private final AgiDialogue dialogue;
        private final String environment;
        private final StringBuilder line = new StringBuilder();
        private final Deque<ByteBuffer> out = new ArrayDeque<>();
        private long[] serverNanos = new long[32];
        private int commands;
        private long lastWrite;
        private boolean closed;
        private boolean closedByServer;
        private SelectionKey key;

        Call(SocketChannel channel, AgiDialogue dialogue, String environment) {
            this.channel = channel;
            this.dialogue = dialogue;
            this.environment = environment;
        }

        void connected() throws IOException {
            write(environment);
        }

        /** Handles what the selector saw; true when the call is over. */
        boolean step(SelectionKey selected, PriorityQueue<Reply> later) {
            try {
                if (selected.isConnectable()) {
                    channel.finishConnect();
                    selected.interestOps(SelectionKey.OP_READ);
                    connected();
                }
                if (selected.isValid() && selected.isWritable()) {
                    flush();
                }
                if (selected.isValid() && selected.isReadable()) {
                    return read(later);
                }
                return closed;
            } catch (IOException e) {
                closedByServer = true;
                closed = true;
                return true;
            }
        }

        private boolean read(PriorityQueue<Reply> later) throws IOException {
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                closedByServer = true;
                closed = true;
                return true;
            }
            long now = System.nanoTime();
            in.flip();
            String text = StandardCharsets.UTF_8.decode(in).toString();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c != '\n') {
                    line.append(c);
                    continue;
                }
                String command = line.toString();
                line.setLength(0);
                if (commands == serverNanos.length) {
                    serverNanos = Arrays.copyOf(serverNanos, 2 * commands);
                }
                serverNanos[commands++] = now - lastWrite;
                AgiDialogue.Answer answer = dialogue.answer(command);
                if (answer.close()) {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    closed = true;
                    return true;
                }
                long wait = AgiDialogue.waitsForCaller(command) ? thinkNanos : AgiDialogue.plays(command) ? playNanos : 0;
                if (wait > 0) {
                    later.add(new Reply(now + wait, this, answer.lines()));
                } else {
                    send(answer.lines());
                }
            }
            return false;
        }

        void send(List<String> lines) throws IOException {
            if (closed) {
                return;
            }
            StringBuilder text = new StringBuilder();
            for (String l : lines) {
                text.append(l).append('\n');
            }
            write(text.toString());
        }

        private void write(String text) throws IOException {
            out.add(StandardCharsets.UTF_8.encode(text));
            flush();
        }

        private void flush() throws IOException {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                out.poll();
            }
            lastWrite = System.nanoTime();
            if (key.isValid() && (key.interestOps() & SelectionKey.OP_WRITE) != 0) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        void end() {
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a socket the server already closed: nothing left to do.
            }
        }
    }
}
