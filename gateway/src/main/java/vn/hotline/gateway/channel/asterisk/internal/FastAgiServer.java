package vn.hotline.gateway.channel.asterisk.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.MappingStrategy;
import org.asteriskjava.util.ServerSocketFacade;
import org.asteriskjava.util.SocketConnectionFacade;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.channel.asterisk.AsteriskProperties;
import vn.hotline.gateway.channel.asterisk.FastAgiListener;

/**
 * Asterisk-Java's FastAGI server on its own bounded pool: one thread per call in the menu, none for a caller talking
 * to a person (the dialplan dials). A connection from an address that is not allowed is closed before it takes a
 * thread; a connection beyond the pool is closed too, and the dialplan sends that caller to a person.
 */
class FastAgiServer implements SmartLifecycle, FastAgiListener {

    private static final Logger log = LoggerFactory.getLogger(FastAgiServer.class);

    private final AsteriskProperties properties;
    private final AllowedClients allowed;
    private final Server server;
    private final AtomicLong refused = new AtomicLong();
    private final Supplier<Mono<Void>> warmUp;
    private final FallbackMeter fallbacks;
    private volatile Thread acceptor;

    /**
     * @param warmUp loads what the first call needs (the routing snapshot) before the port opens, so the first
     *     caller after a start does not spend the step budget on it and fall back for nothing
     */
    FastAgiServer(AsteriskProperties properties, MappingStrategy scripts,
                  Supplier<Mono<Void>> warmUp, FallbackMeter fallbacks) {
        this.fallbacks = fallbacks;
        this.properties = properties;
        this.warmUp = warmUp;
        this.allowed = AllowedClients.parse(properties.allowedClients());
        this.server = new Server(scripts);
        server.setPort(properties.port());
        try {
            server.setAddress(InetAddress.getByName(properties.bindAddress()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("hotline.asterisk.bind-address: unknown address", e);
        }
        server.setPoolSize(Math.min(properties.poolCoreSize(), properties.poolMaxSize()));
        server.setMaximumPoolSize(properties.poolMaxSize());
    }

    @Override
    public String bindAddress() {
        return properties.bindAddress();
    }

    @Override
    public int port() {
        return properties.port();
    }

    @Override
    public int activeCalls() {
        return server.getPoolActiveTaskCount();
    }

    /** Connections closed because their address is not allowed. */
    long refusedConnections() {
        return refused.get();
    }

    @Override
    public synchronized void start() {
        if (acceptor != null) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                // The acceptor's own thread, never an event loop: blocking here delays only the port opening.
                warmUp.get().block(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                log.warn("FastAGI warm-up failed ({}); opening the port anyway", e.toString());
            }
            try {
                server.startup();
            } catch (IOException e) {
                log.error("FastAGI server cannot listen on {}:{}: {}", properties.bindAddress(), properties.port(),
                        e.getMessage());
            }
        }, "fastagi-acceptor");
        thread.setDaemon(true);
        thread.start();
        acceptor = thread;
    }

    @Override
    public synchronized void stop() {
        if (acceptor != null) {
            server.shutdown();
            acceptor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return acceptor != null;
    }

    /** Asterisk-Java's server with our pool and an accept loop that refuses addresses not allowed. */
    private final class Server extends DefaultAgiServer {

        Server(MappingStrategy scripts) {
            super(scripts);
        }

        @Override
        protected ThreadPoolExecutor createPool() {
            AtomicInteger n = new AtomicInteger();
            long stackSize = properties.threadStackSize().toBytes();
            ThreadFactory threads = r -> {
                Thread t = new Thread(null, r, "agi-" + n.incrementAndGet(), stackSize);
                t.setDaemon(true);
                return t;
            };
            // No queue: a call either gets a thread now or is refused, so it reaches the fallback at once.
            return new ThreadPoolExecutor(getPoolSize(), getMaximumPoolSize(), 60, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), threads, (r, pool) -> {
                        // Asterisk-Java closes the connection; Asterisk sees it closed without HOTLINE_DONE.
                        fallbacks.count(FallbackMeter.POOL_FULL);
                        log.warn("FastAGI pool full ({} threads): connection refused, the dialplan falls back",
                                pool.getMaximumPoolSize());
                        throw new RejectedExecutionException("pool full");
                    });
        }

        @Override
        protected ServerSocketFacade createServerSocket() throws IOException {
            // Asterisk-Java's own backlog is 200: one second of a 200 calls/s burst while the acceptor waits for a CPU.
            ServerSocket socket = new ServerSocket(properties.port(), properties.acceptBacklog(), getAddress());
            int readTimeout = (int) properties.socketReadTimeout().toMillis();
            return new ServerSocketFacade() {
                @Override
                public SocketConnectionFacade accept() throws IOException {
                    while (true) {
                        Socket connection = socket.accept();
                        if (allowed.allows(connection.getInetAddress())) {
                            try {
                                return new AgiSocket(connection, readTimeout);
                            } catch (IOException e) {
                                // Not set up: closed here; Asterisk-Java logs the exception and accepts the next.
                                connection.close();
                                throw e;
                            }
                        }
                        refused.incrementAndGet();
                        log.warn("FastAGI connection from {} refused: not in hotline.asterisk.allowed-clients",
                                connection.getInetAddress().getHostAddress());
                        connection.close();
                    }
                }

                @Override
                public void close() throws IOException {
                    socket.close();
                }

                @Override
                public void setSocketReadTimeout(int timeout) {
                    // Each connection has hotline.asterisk.socket-read-timeout (above).
                }
            };
        }
    }
}
