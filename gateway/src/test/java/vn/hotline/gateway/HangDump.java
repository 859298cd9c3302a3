package vn.hotline.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test gives up waiting (a request that never answered, a page that never loaded), writes what every thread of
 * the JVM was doing at that moment to {@code target/hang-dumps/} and to standard error, then lets the failure go on.
 * A rare hang (see the README's "Tests and benchmarks") is then seen from the inside the first time it happens.
 */
public class HangDump implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        dumpIfHang(context, throwable);
        throw throwable;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        dumpIfHang(context, throwable);
        throw throwable;
    }

    static boolean isHang(Throwable throwable) {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t.getClass().getSimpleName().contains("Timeout") || message.contains("Timeout on blocking read")) {
                return true;
            }
        }
        return false;
    }

    private static void dumpIfHang(ExtensionContext context, Throwable throwable) {
        if (!isHang(throwable)) {
            return;
        }
        StringBuilder dump = new StringBuilder("Threads when " + context.getDisplayName() + " in "
                + context.getRequiredTestClass().getName() + " gave up waiting (" + throwable + "), " + Instant.now() + ":\n");
        for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            dump.append('"').append(thread.getThreadName()).append("\" ").append(thread.getThreadState());
            if (thread.getLockName() != null) {
                dump.append(" on ").append(thread.getLockName());
            }
            if (thread.getLockOwnerName() != null) {
                dump.append(" owned by \"").append(thread.getLockOwnerName()).append('"');
            }
            dump.append('\n');
            for (StackTraceElement frame : thread.getStackTrace()) {
                dump.append("    at ").append(frame).append('\n');
            }
        }
        System.err.print(dump);
        try {
            Path dir = Files.createDirectories(Path.of("target", "hang-dumps"));
            Files.writeString(dir.resolve(context.getRequiredTestClass().getSimpleName() + "-" + System.currentTimeMillis() + ".txt"),
                    dump, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
