package vn.hotline.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.HotlineApplication;

/** Bad configuration fails at start-up with one line saying what to fix. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @TempDir
    Path dir;

    private void start(String... args) {
        String[] all = new String[args.length + 6];
        all[0] = "--hotline.privacy.keys-file=" + dir.resolve("keys/hotline.keys");
        all[1] = "--hotline.privacy.generate-keys-if-missing=true";
        all[2] = "--hotline.audit.anchoring.key-file=" + dir.resolve("keys/anchor.keys");
        all[3] = "--hotline.audit.anchoring.generate-key-if-missing=true";
        all[4] = "--hotline.audit.anchoring.directory=" + dir.resolve("anchors");
        all[5] = "--logging.level.root=WARN";
        System.arraycopy(args, 0, all, 6, args.length);
        new SpringApplicationBuilder(HotlineApplication.class).run(all).close();
    }

    @Test
    void anUnreachableDatabaseUrlFailsFastNamingTheSettingAndNotThePassword(CapturedOutput output) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThatThrownBy(() -> start("--server.port=0", "--hotline.db.url=postgresql://app:s3cret-pw@127.0.0.1:" + closedPort + "/hotline"))
                .hasMessageContaining("Cannot connect to the database app@127.0.0.1:" + closedPort + "/hotline")
                .hasMessageContaining("HOTLINE_DB_URL");
        assertThat(output.getAll()).contains("Cannot connect to the database").doesNotContain("s3cret-pw");
    }

    @Test
    void aMalformedDatabaseUrlSaysWhatAUrlLooksLike() {
        assertThatThrownBy(() -> start("--server.port=0", "--hotline.db.url=mysql://x@y/z"))
                .hasMessageContaining("must start with postgresql://");
    }

    @Test
    void anUnwritableDataDirectoryFailsFast(CapturedOutput output) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertThatThrownBy(() -> start("--server.port=0", "--hotline.db.embedded.data-dir=" + file.resolve("pgdata")))
                .hasMessageContaining("hotline.db.embedded.data-dir");
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START");
    }

    @Test
    void anOccupiedHttpPortFailsFast(CapturedOutput output) throws IOException {
        String url = TestPostgres.get().newMigratedDatabase().hotlineUrl();
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            assertThatThrownBy(() -> start("--server.port=" + busy.getLocalPort(), "--hotline.db.url=" + url,
                    "--hotline.db.owner-user=" + TestPostgres.OWNER_ROLE, "--hotline.db.owner-password=" + TestPostgres.OWNER_PASSWORD));
            assertThat(output.getAll()).contains("Port " + busy.getLocalPort() + " was already in use");
        }
    }
}
