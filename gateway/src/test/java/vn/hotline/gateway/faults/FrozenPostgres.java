package vn.hotline.gateway.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The test PostgreSQL as an operator meets it frozen: every process of the cluster (postmaster and backends) gets
 * SIGSTOP, so connections are neither answered nor refused, exactly as a hung host or a paused VM; SIGCONT thaws it.
 * A shutdown hook thaws it too, so a failed test never leaves the shared server stopped.
 */
final class FrozenPostgres implements AutoCloseable {

    private final List<Long> pids;
    private volatile boolean frozen;

    private FrozenPostgres(List<Long> pids) {
        this.pids = pids;
    }

    /** Freezes the cluster whose data directory is {@code dataDir}. */
    static FrozenPostgres freeze(Path dataDir) throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).orElseThrow(() -> new IllegalStateException("no postmaster " + postmaster))
                .children().forEach(child -> pids.add(child.pid()));
        FrozenPostgres frozen = new FrozenPostgres(pids);
        Runtime.getRuntime().addShutdownHook(new Thread(frozen::thawQuietly));
        frozen.signal("-STOP");
        frozen.frozen = true;
        return frozen;
    }

    /** Sends SIGCONT to every process that was stopped. */
    void thaw() throws IOException, InterruptedException {
        if (frozen) {
            signal("-CONT");
            frozen = false;
        }
    }

    private void thawQuietly() {
        try {
            thaw();
        } catch (IOException | InterruptedException e) {
            // The JVM is ending; nothing else can be done.
        }
    }

    private void signal(String signal) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(pid -> command.add(pid.toString()));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes());
        if (kill.waitFor() != 0 && signal.equals("-STOP")) {
            throw new IllegalStateException("kill " + signal + " failed: " + output);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        thaw();
    }
}
