package vn.hotline.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a real PostgreSQL server from the bundled binaries, for the server's default mode and for tests.
 *
 * <p>The data directory is never cleaned: it is created by {@code initdb} when empty and reused afterwards, so data
 * survives restarts. Durable mode keeps {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on;
 * only tests turn them off. The server listens on 127.0.0.1 only and requires SCRAM passwords.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "postgres";

    private final Settings settings;
    private final PostgresBinaries binaries;
    private final ProcessIdentity identity;
    private final int port;
    private final String superuserPassword;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile PostgresSupervisor supervisor;

    /**
     * How to run the server.
     *
     * @param dataDir the data directory; created by initdb when missing or empty, otherwise reused as is
     * @param port the TCP port, or 0 for a free one
     * @param timeZone the server's {@code timezone} and {@code log_timezone}
     * @param durable false only in tests: turns fsync, synchronous commit and full-page writes off
     * @param startTimeout how long to wait for the server to accept connections
     * @param extraSettings further {@code postgresql.conf} settings, for example {@code max_connections}
     */
    public record Settings(Path dataDir, int port, String timeZone, boolean durable, Duration startTimeout,
                           Map<String, String> extraSettings) {

        public Settings {
            dataDir = dataDir.toAbsolutePath().normalize();
            extraSettings = Map.copyOf(extraSettings);
            if (port < 0 || port > 65535) {
                throw new EmbeddedPostgresException("Embedded PostgreSQL port " + port + " is not a TCP port: use 0 for a free port or 1-65535.");
            }
        }

        /** Durable defaults for a server: port 0 picks a free port. */
        public static Settings durable(Path dataDir, int port, String timeZone) {
            return new Settings(dataDir, port, timeZone, true, Duration.ofSeconds(60), Map.of());
        }
    }

    private EmbeddedPostgres(Settings settings, PostgresBinaries binaries, ProcessIdentity identity, int port,
                             String superuserPassword, FileChannel lockChannel, FileLock lock) {
        this.settings = settings;
        this.binaries = binaries;
        this.identity = identity;
        this.port = port;
        this.superuserPassword = superuserPassword;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Starts PostgreSQL on the given data directory, creating it when needed.
     *
     * @throws EmbeddedPostgresException with one line saying what to fix, when it cannot start
     */
    public static EmbeddedPostgres start(Settings settings) {
        Path dataDir = settings.dataDir();
        Path parent = dataDir.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot create " + parent + " for the embedded PostgreSQL data directory ("
                    + e.getClass().getSimpleName() + "): choose a writable hotline.db.embedded.data-dir.", e);
        }
        if (!Files.isWritable(parent)) {
            throw new EmbeddedPostgresException("Directory " + parent + " is not writable: choose a writable hotline.db.embedded.data-dir.");
        }
        FileChannel channel = null;
        FileLock lock;
        Path lockFile = parent.resolve(dataDir.getFileName() + ".lock");
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this very JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EmbeddedPostgresException("Cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new EmbeddedPostgresException("Data directory " + dataDir + " is in use by another hotline process: stop it, or set hotline.db.embedded.data-dir to another folder.");
        }
        try {
            return startLocked(settings, channel, lock);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static EmbeddedPostgres startLocked(Settings settings, FileChannel channel, FileLock lock) {
        Path dataDir = settings.dataDir();
        PostgresBinaries binaries = PostgresBinaries.extract();
        ProcessIdentity identity = ProcessIdentity.detect();
        Path secretFile = dataDir.getParent().resolve(dataDir.getFileName() + ".superuser");

        checkExistingDataDirectory(dataDir, binaries);
        String superuserPassword = Secrets.readOrCreate(secretFile);
        if (!isInitialised(dataDir)) {
            initdb(settings, binaries, identity, superuserPassword);
        }
        stopOrphanOrRemoveStaleLock(dataDir, binaries, identity);

        int port = settings.port() == 0 ? freePort() : settings.port();
        if (settings.port() != 0 && !portIsFree(port)) {
            throw new EmbeddedPostgresException("Port " + port + " for the embedded PostgreSQL is already in use: set hotline.db.embedded.port to a free port, or 0 to pick one.");
        }
        EmbeddedPostgres postgres = new EmbeddedPostgres(settings, binaries, identity, port, superuserPassword, channel, lock);
        postgres.startServer();
        return postgres;
    }

    /** The TCP port the server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** The PostgreSQL major version of the bundled binaries. */
    public int majorVersion() {
        return binaries.majorVersion();
    }

    /** The data directory. */
    public Path dataDir() {
        return settings.dataDir();
    }

    /** A JDBC URL for a database on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Opens a superuser connection to a database on this server. */
    public Connection superuserConnection(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", superuserPassword);
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /**
     * Makes sure a login role exists with this password and no superuser rights; idempotent.
     */
    public void ensureRole(String role, String password) {
        requireIdentifier(role);
        try (Connection c = superuserConnection("postgres"); Statement s = c.createStatement()) {
            s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = " + quoteLiteral(role)
                    + ") THEN CREATE ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION; END IF; END $$");
            s.execute("ALTER ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD " + quoteLiteral(password));
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("Cannot create role " + role + " on the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Makes sure a database exists, owned by {@code owner}, and that {@code users} may connect; idempotent. */
    public void ensureDatabase(String database, String owner, String... users) {
        requireIdentifier(database);
        requireIdentifier(owner);
        try (Connection c = superuserConnection("postgres"); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = " + quoteLiteral(database));
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + database + " OWNER " + owner + " ENCODING 'UTF8'");
            }
            s.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
            s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + owner);
            for (String user : users) {
                requireIdentifier(user);
                s.execute("GRANT CONNECT ON DATABASE " + database + " TO " + user);
            }
        } catch (SQLException e) {
            throw new EmbeddedPostgresException("Cannot create database " + database + " on the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Stops the server ({@code pg_ctl stop -m fast}) and releases the data directory. */
    @Override
    public synchronized void close() {
        if (stopped.getAndSet(true)) {
            return;
        }
        if (supervisor != null) {
            supervisor.close();
        }
        try {
            ProcessRunner.run(identity.wrap(List.of(binaries.bin("pg_ctl").toString(), "stop", "-D", dataDir().toString(),
                    "-m", "fast", "-w", "-t", "60")), Duration.ofSeconds(70));
            log.info("Embedded PostgreSQL on port {} stopped", port);
        } catch (RuntimeException e) {
            log.error("Embedded PostgreSQL on port {} did not stop cleanly: {}", port, e.getMessage());
        } finally {
            try {
                lock.release();
            } catch (IOException e) {
                log.debug("releasing lock", e);
            }
            closeQuietly(lockChannel);
        }
    }

    /**
     * Supervises this server from now until {@link #close()}: see {@link PostgresSupervisor}.
     *
     * @param every how often the postmaster is looked at
     * @param backOff the first pause after a failed start, doubling after each
     * @param attempts failed starts in a row before {@code giveUp} runs
     */
    public PostgresSupervisor supervise(Duration every, Duration backOff, int attempts, Runnable giveUp) {
        PostgresSupervisor supervisor = new PostgresSupervisor(this, every, backOff, attempts, giveUp);
        this.supervisor = supervisor;
        return supervisor;
    }

    boolean isStopped() {
        return stopped.get();
    }

    /** Whether the postmaster of this data directory is alive (its pid in {@code postmaster.pid}). */
    boolean isRunning() {
        Path pidFile = dataDir().resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return false;
        }
        return readString(pidFile).lines().findFirst().map(String::trim).flatMap(EmbeddedPostgres::parseLong)
                .flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Starts the server again after it died: its stale lock file removed, the same port and settings. */
    synchronized void restart() {
        if (stopped.get()) {
            return;
        }
        stopOrphanOrRemoveStaleLock(dataDir(), binaries, identity);
        startServer();
    }

    private void startServer() {
        Path logFile = dataDir().getParent().resolve(dataDir().getFileName() + ".log");
        identity.prepareFile(logFile);
        List<String> options = new ArrayList<>();
        options.add("-p " + port);
        serverSettings().forEach((k, v) -> options.add("-c " + k + "=" + v));
        List<String> command = List.of(binaries.bin("pg_ctl").toString(), "start", "-D", dataDir().toString(),
                "-l", logFile.toString(), "-w", "-t", String.valueOf(settings.startTimeout().toSeconds()),
                "-o", String.join(" ", options));
        try {
            ProcessRunner.run(identity.wrap(command), settings.startTimeout().plusSeconds(10));
        } catch (EmbeddedPostgresException e) {
            throw new EmbeddedPostgresException("Embedded PostgreSQL did not start on port " + port + "; see " + logFile
                    + " (last lines: " + tail(logFile) + ")", e);
        }
        log.info("Embedded PostgreSQL {} started on 127.0.0.1:{} with data in {}{}", binaries.majorVersion(), port,
                dataDir(), settings.durable() ? "" : " (durability off: tests only)");
    }

    private Map<String, String> serverSettings() {
        var conf = new java.util.LinkedHashMap<String, String>();
        conf.put("listen_addresses", "127.0.0.1");
        conf.put("unix_socket_directories", "''");
        conf.put("timezone", settings.timeZone());
        conf.put("log_timezone", settings.timeZone());
        conf.put("password_encryption", "scram-sha-256");
        String durable = settings.durable() ? "on" : "off";
        conf.put("fsync", durable);
        conf.put("synchronous_commit", durable);
        conf.put("full_page_writes", durable);
        conf.putAll(settings.extraSettings());
        return conf;
    }

    private static boolean isInitialised(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve("PG_VERSION"));
    }

    private static void checkExistingDataDirectory(Path dataDir, PostgresBinaries binaries) {
        if (!Files.exists(dataDir)) {
            return;
        }
        if (!Files.isDirectory(dataDir)) {
            throw new EmbeddedPostgresException(dataDir + " is a file, not a data directory: set hotline.db.embedded.data-dir to a folder.");
        }
        Path versionFile = dataDir.resolve("PG_VERSION");
        if (Files.isRegularFile(versionFile)) {
            String version = readString(versionFile).trim();
            if (!version.equals(String.valueOf(binaries.majorVersion()))) {
                throw new EmbeddedPostgresException("Data directory " + dataDir + " was created by PostgreSQL " + version
                        + " but the bundled server is " + binaries.majorVersion()
                        + ": migrate it with pg_upgrade or pg_dump, or set hotline.db.embedded.data-dir to another folder.");
            }
            return;
        }
        try (var entries = Files.list(dataDir)) {
            if (entries.findAny().isPresent()) {
                throw new EmbeddedPostgresException(dataDir + " is not empty and is not a PostgreSQL data directory: empty it or set hotline.db.embedded.data-dir to another folder.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void initdb(Settings settings, PostgresBinaries binaries, ProcessIdentity identity, String superuserPassword) {
        Path dataDir = settings.dataDir();
        Path pwFile = dataDir.getParent().resolve(dataDir.getFileName() + ".initpw");
        try {
            Files.createDirectories(dataDir);
            Files.writeString(pwFile, superuserPassword, StandardCharsets.UTF_8);
            identity.prepareDirectory(dataDir);
            identity.prepareFile(pwFile);
            ProcessRunner.run(identity.wrap(List.of(binaries.bin("initdb").toString(), "-D", dataDir.toString(),
                    "-U", SUPERUSER, "--pwfile=" + pwFile, "--auth-host=scram-sha-256", "--auth-local=scram-sha-256",
                    "--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--no-instructions")),
                    Duration.ofMinutes(2));
            log.info("Initialised a new PostgreSQL data directory in {}", dataDir);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot prepare data directory " + dataDir + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(pwFile);
            } catch (IOException e) {
                log.warn("Could not delete {}", pwFile);
            }
        }
    }

    /**
     * A {@code postmaster.pid} left behind means either a crashed server (the process is gone: remove the file) or a
     * server orphaned by a JVM that died without stopping it (we hold the directory lock, so nobody else uses it).
     */
    /**
     * A {@code postmaster.pid} left in the data directory: the PostgreSQL of an earlier run of this installation that
     * did not shut down is stopped; any other lock file is stale and removed. A live pid alone proves nothing: a copy of
     * a running installation ({@code cp -a}) carries the original's lock file, and {@code pg_ctl stop} on the copy
     * would signal the original's server. So the server is stopped only when the lock file names this data directory
     * (its second line) and that process runs in it (its working directory, where Linux shows it).
     */
    private static void stopOrphanOrRemoveStaleLock(Path dataDir, PostgresBinaries binaries, ProcessIdentity identity) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = readString(pidFile).lines().map(String::trim).toList();
        Optional<Long> pid = lines.stream().findFirst().flatMap(EmbeddedPostgres::parseLong);
        boolean alive = pid.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
        if (alive && lines.size() > 1 && sameDirectory(Path.of(lines.get(1)), dataDir) && runsIn(pid.get(), dataDir)) {
            log.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier run that did not shut down", pid.get(), dataDir);
            ProcessRunner.run(identity.wrap(List.of(binaries.bin("pg_ctl").toString(), "stop", "-D", dataDir.toString(),
                    "-m", "fast", "-w", "-t", "60")), Duration.ofSeconds(70));
            return;
        }
        if (alive) {
            log.warn("Removing {}: it names pid {} of another data directory (a copied installation?); that server is left alone",
                    pidFile, pid.get());
        } else {
            log.warn("Removing stale lock file {} left by a PostgreSQL that did not shut down", pidFile);
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot remove stale " + pidFile + ": " + e.getMessage(), e);
        }
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the process works in {@code dir} (a postmaster's working directory is its data directory). */
    private static boolean runsIn(long pid, Path dir) {
        Path cwd = Path.of("/proc", Long.toString(pid), "cwd");
        if (!Files.exists(Path.of("/proc", Long.toString(pid)))) {
            // No /proc (not Linux): the lock file's own data directory line has to do.
            return true;
        }
        try {
            return Files.isSameFile(cwd.toRealPath(), dir);
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Long> parseLong(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "no log";
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void requireIdentifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain lower-case SQL identifier: " + name);
        }
    }

    static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.debug("close", e);
        }
    }
}
