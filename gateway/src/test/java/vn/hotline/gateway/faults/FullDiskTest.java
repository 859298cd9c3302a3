package vn.hotline.gateway.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.db.EmbeddedServer;

/**
 * The disk under the embedded PostgreSQL fills up (a small tmpfs of its own, mounted here as root): the server says
 * so in one line and health goes DOWN while reads still work; when space is freed, one line and health UP again,
 * without a restart.
 */
@ExtendWith(OutputCaptureExtension.class)
class FullDiskTest {

    /** initdb, the migrations and one WAL segment take about 45 MB. */
    private static final String SIZE = "128m";
    private static final long MIN_FREE = 32L << 20;

    @TempDir
    Path dir;
    private Path disk;
    private boolean mounted;

    @BeforeEach
    void mountASmallDisk() throws Exception {
        disk = dir.resolve("disk");
        Files.createDirectories(disk);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        if (!mounted) {
            String missing = "cannot mount a tmpfs (needs root): " + output.strip();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(missing);
            }
            Assumptions.abort(missing);
        }
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFullDiskIsSaidOnceWithHealthDownAndTheServerComesBackWhenSpaceIsFreed(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext app = EmbeddedServer.start(dir, disk.resolve("pgdata"),
                "--hotline.asterisk.enabled=false",
                "--hotline.db.watch.interval=500ms",
                "--hotline.db.watch.min-free-disk=" + MIN_FREE / (1 << 20) + "MB",
                "--logging.level.vn.hotline=INFO")) {
            WebTestClient web = EmbeddedServer.client(app);
            awaitHealth(web, 200, Duration.ofSeconds(10));

            Path filler = disk.resolve("filler");
            long usable = Files.getFileStore(disk).getUsableSpace();
            try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw")) {
                byte[] block = new byte[1 << 20];
                for (long left = usable - (8L << 20); left > 0; left -= block.length) {
                    file.write(block);
                }
            }
            long fullAt = System.nanoTime();
            awaitHealth(web, 503, Duration.ofSeconds(5));
            System.out.printf("Full disk: health DOWN %d ms after the disk filled%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fullAt));
            web.get().uri("/actuator/health").exchange().expectBody()
                    .jsonPath("$.components.r2dbc.status").isEqualTo("DOWN");

            Files.delete(filler);
            long freedAt = System.nanoTime();
            awaitHealth(web, 200, Duration.ofSeconds(5));
            System.out.printf("Full disk: health UP %d ms after space was freed%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - freedAt));
        }
        assertThat(output.getAll()).containsOnlyOnce("The disk PostgreSQL writes to is full")
                .containsOnlyOnce("Disk space where PostgreSQL writes is back");
    }

    private static void awaitHealth(WebTestClient web, int status, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (web.get().uri("/actuator/health").exchange().returnResult(String.class).getStatus().value() != status) {
            assertThat(System.nanoTime()).as("health " + status + " within " + within).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
