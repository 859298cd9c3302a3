package vn.hotline.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived command to completion with a time limit and returns what it printed. */
final class ProcessRunner {

    private ProcessRunner() {
    }

    static String run(List<String> command, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        // pg_ctl start leaves the server holding inherited descriptors; read on the side so we never wait on them.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedPostgresException(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new EmbeddedPostgresException("Interrupted while running " + command.get(0), e);
        }
        String printed = output.completeOnTimeout("", 2, TimeUnit.SECONDS).join();
        if (process.exitValue() != 0) {
            throw new EmbeddedPostgresException(programName(command.get(0)) + " failed (exit " + process.exitValue() + "): " + printed.trim().replace('\n', ' '));
        }
        return printed;
    }

    private static String programName(String command) {
        return java.nio.file.Path.of(command).getFileName().toString();
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
