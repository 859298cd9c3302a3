package vn.hotline.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

    @TempDir
    Path dir;

    @Test
    void durableServerKeepsFsyncAndSynchronousCommitOnAndTheConfiguredZone() throws SQLException {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(dir.resolve("data"), 0, "Asia/Ho_Chi_Minh"))) {
            assertThat(setting(pg, "fsync")).isEqualTo("on");
            assertThat(setting(pg, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(pg, "full_page_writes")).isEqualTo("on");
            // TimeZone itself is per session (the JDBC driver sends the JVM's zone); log_timezone is the server's own.
            assertThat(setting(pg, "log_timezone")).isEqualTo("Asia/Ho_Chi_Minh");
            assertThat(setting(pg, "listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(setting(pg, "server_version_num")).startsWith(String.valueOf(pg.majorVersion()));
        }
    }

    @Test
    void dataSurvivesARestartOnTheSameDirectory() throws SQLException {
        Path data = dir.resolve("data");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC"));
             Connection c = pg.superuserConnection("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('still here')");
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC"));
             Connection c = pg.superuserConnection("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void aStaleLockFileFromACrashedServerIsRemovedAndTheServerStarts() throws Exception {
        Path data = dir.resolve("data");
        EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC")).close();
        // A crash leaves postmaster.pid naming a process that no longer exists.
        Files.writeString(data.resolve("postmaster.pid"), "999999\n" + data + "\n");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC"))) {
            assertThat(setting(pg, "fsync")).isEqualTo("on");
        }
    }

    @Test
    void aCopyOfARunningInstallationStartsWithoutStoppingTheOriginalsServer() throws Exception {
        // An installation's var/ folder: the data directory and its secrets beside it.
        Path original = dir.resolve("original");
        Path copy = dir.resolve("copy");
        try (EmbeddedPostgres first = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(original.resolve("pgdata"), 0, "UTC"))) {
            // cp -a of the running installation: the copy's postmaster.pid names the original's live postmaster.
            Process cp = new ProcessBuilder("cp", "-a", original.toString(), copy.toString()).inheritIO().start();
            assertThat(cp.waitFor()).isZero();
            String pid = Files.readString(original.resolve("pgdata/postmaster.pid")).lines().findFirst().orElseThrow();
            assertThat(Files.readString(copy.resolve("pgdata/postmaster.pid"))).startsWith(pid);

            try (EmbeddedPostgres second = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(copy.resolve("pgdata"), 0, "UTC"))) {
                assertThat(setting(second, "fsync")).isEqualTo("on");
                assertThat(setting(first, "fsync")).as("the original's server still answers").isEqualTo("on");
            }
            assertThat(setting(first, "fsync")).isEqualTo("on");
        }
    }

    private static long postmaster(Path data) throws IOException {
        return Long.parseLong(Files.readString(data.resolve("postmaster.pid")).lines().findFirst().orElseThrow().trim());
    }

    @Test
    void aPostgresThatDiesWhileTheServerRunsIsStartedAgainOnTheSamePort() throws Exception {
        Path data = dir.resolve("data");
        java.util.concurrent.atomic.AtomicBoolean gaveUp = new java.util.concurrent.atomic.AtomicBoolean();
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC"))) {
            pg.supervise(Duration.ofMillis(200), Duration.ofMillis(200), 5, () -> gaveUp.set(true));
            long first = postmaster(data);

            ProcessHandle.of(first).orElseThrow().destroyForcibly();

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                try {
                    assertThat(setting(pg, "fsync")).isEqualTo("on");
                    break;
                } catch (SQLException stillDown) {
                    if (System.nanoTime() > deadline) {
                        throw stillDown;
                    }
                    Thread.sleep(100);
                }
            }
            assertThat(postmaster(data)).as("a new postmaster").isNotEqualTo(first);
            assertThat(gaveUp).isFalse();
        }
    }

    @Test
    void aPostgresThatCannotBeStartedAgainMakesTheServerGiveUp() throws Exception {
        Path data = dir.resolve("data");
        java.util.concurrent.CountDownLatch gaveUp = new java.util.concurrent.CountDownLatch(1);
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC"))) {
            pg.supervise(Duration.ofMillis(100), Duration.ofMillis(100), 3, gaveUp::countDown);
            long first = postmaster(data);
            // Its configuration made unreadable: every start fails.
            Files.writeString(data.resolve("postgresql.auto.conf"), "this is not a setting\n");

            ProcessHandle.of(first).orElseThrow().destroyForcibly();

            assertThat(gaveUp.await(60, java.util.concurrent.TimeUnit.SECONDS)).as("the supervisor gave up").isTrue();
        }
    }

    @Test
    void aSecondProcessOnTheSameDirectoryIsRefusedWithAClearMessage() {
        Path data = dir.resolve("data");
        try (EmbeddedPostgres first = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC"))) {
            assertThatThrownBy(() -> EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC")))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("in use by another hotline process");
        }
    }

    @Test
    void aDataDirectoryFromAnotherVersionIsRefusedNotUpgradedSilently() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("PG_VERSION"), "12\n");
        assertThatThrownBy(() -> EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC")))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("was created by PostgreSQL 12")
                .hasMessageContaining("pg_upgrade");
    }

    @Test
    void aFolderThatIsNotADataDirectoryIsNeverInitialisedOver() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("notes.txt"), "someone's files");
        assertThatThrownBy(() -> EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC")))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("is not empty and is not a PostgreSQL data directory");
        assertThat(data.resolve("notes.txt")).hasContent("someone's files");
    }

    @Test
    void aBusyPortIsReportedWithWhatToChange() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(dir.resolve("data"), busy.getLocalPort(), "UTC")))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("Port " + busy.getLocalPort())
                    .hasMessageContaining("hotline.db.embedded.port");
        }
    }

    @Test
    void anUnwritableLocationIsReportedWithWhatToChange() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(file.resolve("pgdata"), 0, "UTC")))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("hotline.db.embedded.data-dir");
    }

    @Test
    void testServersTradeDurabilityForSpeed() throws SQLException {
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(new EmbeddedPostgres.Settings(dir.resolve("data"), 0, "UTC", false,
                Duration.ofSeconds(60), Map.of()))) {
            assertThat(setting(pg, "fsync")).isEqualTo("off");
        }
    }

    @Test
    void asRootWithoutUserNamespacesPostgresRunsAsNobody() throws Exception {
        Assumptions.assumeTrue(ProcessIdentity.isRoot(), "only root drops privileges");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path data = dir.resolve("data");
        System.setProperty(ProcessIdentity.OVERRIDE_PROPERTY, "NOBODY");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(data, 0, "UTC"))) {
            assertThat(Files.getOwner(data).getName()).isEqualTo("nobody");
            assertThat(setting(pg, "fsync")).isEqualTo("on");
        } finally {
            System.clearProperty(ProcessIdentity.OVERRIDE_PROPERTY);
        }
    }

    @Test
    void asNobodyADataDirectoryItCannotReachIsReportedWithWhatToChange() throws Exception {
        Assumptions.assumeTrue(ProcessIdentity.isRoot(), "only root drops privileges");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Files.setPosixFilePermissions(closed, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        System.setProperty(ProcessIdentity.OVERRIDE_PROPERTY, "NOBODY");
        try {
            assertThatThrownBy(() -> EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(closed.resolve("data"), 0, "UTC")))
                    .isInstanceOf(EmbeddedPostgresException.class)
                    .hasMessageContaining("cannot reach")
                    .hasMessageContaining("hotline.db.embedded.data-dir");
        } finally {
            System.clearProperty(ProcessIdentity.OVERRIDE_PROPERTY);
        }
    }

    private static String setting(EmbeddedPostgres pg, String name) throws SQLException {
        try (Connection c = pg.superuserConnection("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
