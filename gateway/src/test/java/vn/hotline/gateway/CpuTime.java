package vn.hotline.gateway;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;

/** CPU clocks for the benchmarks: this JVM, one of its threads, and PostgreSQL's processes. */
public final class CpuTime {

    private CpuTime() {
    }

    /** CPU time of this JVM: the server and whatever load generator runs in it (PostgreSQL runs in its own processes). */
    public static long jvmNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of every live thread of this JVM whose name starts with {@code prefix}. */
    public static long threadNanos(String prefix) {
        var threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return nanos;
    }

    /** CPU time of every PostgreSQL process on this machine (Linux /proc), in nanoseconds; 0 elsewhere. */
    public static long postgresNanos() {
        long ticks = 0;
        File[] processes = new File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
        for (File process : processes == null ? new File[0] : processes) {
            try {
                String stat = Files.readString(process.toPath().resolve("stat"));
                if (!stat.contains("(postgres)")) {
                    continue;
                }
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // utime and stime are fields 14 and 15 of /proc/<pid>/stat, 12 and 13 after the command name.
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                // A process that ended meanwhile.
            }
        }
        return ticks * 10_000_000L;
    }

    /**
     * Milliseconds the JIT compilers have worked so far (their CPU is in {@link #jvmNanos}): a run that still compiles
     * is not yet at its steady state.
     */
    public static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** The one-minute load average, or -1 where the platform has none. */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
