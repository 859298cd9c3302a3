package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.event.DisconnectEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.hotline.gateway.channel.asterisk.AmiProperties;
import vn.hotline.gateway.lease.Leases;

/**
 * The AMI connection of one Asterisk, held by one node at a time through the lease {@code ami:<system name>}. Every
 * heartbeat renews the lease; the holder connects (and reconnects after a loss, with exponential back-off and
 * jitter), the others stay away, and a holder that loses the lease drops its connection. Asterisk-Java reads events
 * on its own thread; they go through a bounded single-thread executor to the database (when it is full, reading waits,
 * which slows Asterisk's socket rather than losing events), each written under the lease's fence.
 */
final class AmiConnector {

    private static final Logger log = LoggerFactory.getLogger(AmiConnector.class);

    private final AmiProperties.Server server;
    private final AmiProperties properties;
    private final Leases leases;
    private final AmiEventStore store;
    private final AmiCallBacks callBacks;
    private final Clock clock;
    private final String lease;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService connector;
    private final ThreadPoolExecutor events;
    private final AtomicLong heartbeats = new AtomicLong();

    private volatile ManagerConnection connection;
    private volatile UUID session;
    private volatile boolean connecting;
    private volatile boolean holding;
    private volatile boolean running;
    private volatile long nextAttemptNanos;
    private volatile Instant lastRenewed = Instant.EPOCH;
    private volatile long lastAnswerNanos;
    private int failures;

    AmiConnector(AmiProperties.Server server, AmiProperties properties, Leases leases, AmiEventStore store,
            AmiCallBacks callBacks, Clock clock) {
        this.server = server;
        this.properties = properties;
        this.leases = leases;
        this.store = store;
        this.callBacks = callBacks;
        this.clock = clock;
        this.lease = "ami:" + server.systemName();
        String name = "ami-" + server.systemName();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon(name + "-heartbeat"));
        this.connector = Executors.newSingleThreadExecutor(daemon(name + "-connect"));
        this.events = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(properties.eventQueue()),
                daemon(name + "-events"), new ThreadPoolExecutor.CallerRunsPolicy());
    }

    void start() {
        running = true;
        scheduler.scheduleWithFixedDelay(this::heartbeat, 0, properties.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops: drops the connection and gives the lease up so another node takes over at once. */
    void stop() {
        running = false;
        scheduler.shutdownNow();
        disconnect("shutting down");
        events.shutdown();
        try {
            events.awaitTermination(properties.eventWriteTimeout().toMillis(), TimeUnit.MILLISECONDS);
            leases.release(lease).block(properties.responseTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("AMI {}: lease not released on shutdown ({}); it expires by itself", server.systemName(), e.toString());
        }
        connector.shutdownNow();
    }

    /** A hung node, for tests: no more heartbeats; the connection and event handling go on as they were. */
    void freeze() {
        running = false;
        scheduler.shutdownNow();
    }

    /** A killed node, for tests: everything stops and the connection closes, but the lease is not given up. */
    void crash() {
        freeze();
        events.shutdownNow();
        disconnect("crashed");
        connector.shutdownNow();
    }

    boolean connected() {
        return connection != null && !connecting;
    }

    String systemName() {
        return server.systemName();
    }

    boolean holding() {
        return holding;
    }

    private void heartbeat() {
        if (!running) {
            return;
        }
        try {
            Boolean held = leases.acquire(lease, properties.leaseTtl()).block(properties.responseTimeout());
            holding = Boolean.TRUE.equals(held);
            if (holding) {
                lastRenewed = clock.instant();
            }
        } catch (RuntimeException e) {
            // The database is unreachable: keep the connection only while the lease surely has not expired.
            boolean safe = Duration.between(lastRenewed, clock.instant()).compareTo(properties.leaseTtl().minus(properties.heartbeat())) < 0;
            holding = holding && safe;
            log.warn("AMI {}: lease not renewed ({})", server.systemName(), e.getClass().getSimpleName());
        }
        if (!holding) {
            disconnect("lease not held");
            return;
        }
        if (connection == null && !connecting && System.nanoTime() - nextAttemptNanos >= 0) {
            connecting = true;
            connector.execute(this::connect);
            return;
        }
        if (connected()) {
            if (!answering()) {
                return;
            }
            dispatchDueCallBacks();
            if (heartbeats.incrementAndGet() % 10 == 0) {
                sweep();
            }
        }
    }

    /**
     * A hung Asterisk (or a half-open TCP connection) sends nothing and closes nothing: each heartbeat pings, and a
     * connection that answered nothing for the response timeout plus two heartbeats is dropped and made again.
     */
    private boolean answering() {
        ManagerConnection c = connection;
        long silent = System.nanoTime() - lastAnswerNanos;
        if (silent > properties.responseTimeout().plus(properties.heartbeat().multipliedBy(2)).toNanos()) {
            log.warn("AMI {}: no answer for {} ms; reconnecting", server.systemName(), TimeUnit.NANOSECONDS.toMillis(silent));
            lost(c);
            return false;
        }
        try {
            c.sendAction(new PingAction(), response -> lastAnswerNanos = System.nanoTime());
        } catch (Exception e) {
            log.warn("AMI {}: ping not sent ({})", server.systemName(), e.getClass().getSimpleName());
        }
        return true;
    }

    private void connect() {
        AmiManagerConnection c = new AmiManagerConnection();
        c.setHostname(server.host());
        c.setPort(server.port());
        c.setUsername(server.username());
        c.setPassword(server.secret());
        c.setDefaultResponseTimeout(properties.responseTimeout().toMillis());
        c.setSocketTimeout((int) properties.responseTimeout().toMillis());
        c.setKeepAliveAfterAuthenticationFailure(false);
        c.registerUserEventClass(CallBackConfirmEvent.class);
        UUID newSession = UUID.randomUUID();
        c.addEventListener(event -> onEvent(c, newSession, event));
        session = newSession;
        connection = c;
        try {
            c.login();
            if (!holding || !running) {
                disconnect("lease lost while logging in");
                return;
            }
            synchronized (this) {
                failures = 0;
            }
            lastAnswerNanos = System.nanoTime();
            log.info("AMI {}: connected to {}:{} as {}", server.systemName(), server.host(), server.port(), server.username());
        } catch (Exception e) {
            connection = null;
            closeQuietly(c);
            long delay = backOff();
            log.warn("AMI {}: connection to {}:{} failed ({}); next attempt in {} ms", server.systemName(), server.host(),
                    server.port(), e.getClass().getSimpleName(), delay);
        } finally {
            connecting = false;
        }
    }

    /** Called on Asterisk-Java's event thread: only hands the event on. */
    private void onEvent(ManagerConnection source, UUID from, ManagerEvent event) {
        if (source != connection) {
            return;
        }
        if (event instanceof DisconnectEvent) {
            scheduler.execute(() -> lost(source));
            return;
        }
        Instant received = clock.instant();
        Optional<AmiEvent> mapped = AmiEventMapper.map(server.systemName(), event, received);
        mapped.ifPresent(e -> events.execute(() -> handle(from, e, received)));
    }

    private void handle(UUID from, AmiEvent event, Instant received) {
        try {
            AmiEventStore.Handled handled = store.record(leases, lease, from, event, received).block(properties.eventWriteTimeout());
            if (handled == null || !handled.held()) {
                log.warn("AMI {}: lease lost, {} not recorded; dropping the connection", server.systemName(), event.name());
                disconnect("lease lost");
                return;
            }
            handled.childToDial().ifPresent(id -> callBacks.childLeg(id).blockOptional(properties.eventWriteTimeout())
                    .ifPresent(this::originate));
        } catch (RuntimeException e) {
            log.warn("AMI {}: {} of {} not recorded ({})", server.systemName(), event.name(), event.linkedid(), e.toString());
        }
    }

    private void lost(ManagerConnection c) {
        if (c != connection) {
            return;
        }
        connection = null;
        closeQuietly(c);
        long delay = backOff();
        log.warn("AMI {}: connection lost; reconnecting in {} ms", server.systemName(), delay);
    }

    private synchronized long backOff() {
        failures++;
        long base = Math.min(properties.reconnectMax().toMillis(),
                properties.reconnectMin().toMillis() * (1L << Math.min(failures - 1, 20)));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
        return delay;
    }

    private void disconnect(String why) {
        ManagerConnection c = connection;
        if (c == null) {
            return;
        }
        connection = null;
        closeQuietly(c);
        log.info("AMI {}: disconnected ({})", server.systemName(), why);
    }

    private static void closeQuietly(ManagerConnection c) {
        try {
            c.logoff();
        } catch (RuntimeException e) {
            // not connected (any more): Asterisk-Java's own reconnect is stopped either way
        }
    }

    private void dispatchDueCallBacks() {
        try {
            List<AmiOriginate> due = callBacks.claimDue(leases, lease, server.systemName()).collectList().block(properties.eventWriteTimeout());
            if (due != null) {
                due.forEach(this::originate);
            }
        } catch (RuntimeException e) {
            log.warn("AMI {}: call-backs not dispatched ({})", server.systemName(), e.getClass().getSimpleName());
        }
    }

    private void sweep() {
        try {
            Long marked = store.markIncomplete(leases, lease, server.systemName(), clock.instant()).block(properties.eventWriteTimeout());
            if (marked != null && marked > 0) {
                log.info("AMI {}: {} call(s) marked incomplete (no AMI hang-up)", server.systemName(), marked);
            }
        } catch (RuntimeException e) {
            log.warn("AMI {}: incomplete calls not swept ({})", server.systemName(), e.getClass().getSimpleName());
        }
    }

    /** Sends one call-back leg. The action holds a number in clear: it is never logged. */
    private void originate(AmiOriginate o) {
        ManagerConnection c = connection;
        OriginateAction action = new OriginateAction();
        action.setChannel(o.channel());
        action.setChannelId(o.channelId());
        if (o.context() != null) {
            action.setContext(o.context());
            action.setExten("s");
            action.setPriority(1);
        } else {
            action.setApplication(o.application());
            action.setData(o.data());
        }
        action.setTimeout(o.timeout().toMillis());
        action.setCallerId(o.callerId());
        action.setVariables(o.variables());
        action.setAsync(true);
        try {
            if (c == null) {
                throw new IllegalStateException("not connected");
            }
            c.sendAction(action, response -> {
                if (response instanceof ManagerError) {
                    log.warn("AMI {}: Originate of call-back {} refused", server.systemName(), o.callbackId());
                    events.execute(() -> failed(o));
                }
            });
            log.info("AMI {}: call-back {} leg {} originated", server.systemName(), o.callbackId(), o.context() != null ? "officer" : "child");
        } catch (Exception e) {
            log.warn("AMI {}: Originate of call-back {} not sent ({})", server.systemName(), o.callbackId(), e.getClass().getSimpleName());
            events.execute(() -> failed(o));
        }
    }

    private void failed(AmiOriginate o) {
        try {
            callBacks.sendFailed(o.callbackId()).block(properties.eventWriteTimeout());
        } catch (RuntimeException e) {
            log.warn("AMI {}: call-back {} not marked failed ({})", server.systemName(), o.callbackId(), e.getClass().getSimpleName());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
