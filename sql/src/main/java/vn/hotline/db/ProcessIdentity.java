package vn.hotline.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the PostgreSQL processes run as. PostgreSQL refuses to run as root, so a root JVM runs them in a user
 * namespace ({@code unshare --user}: files stay root's, the server sees itself as their owner) or, where namespaces
 * are blocked (some containers), as {@code nobody} through {@code setpriv}.
 */
enum ProcessIdentity {

    /** Not root: run the binaries directly. */
    CURRENT,
    /** Root, user namespaces allowed. */
    USER_NAMESPACE,
    /** Root, user namespaces blocked: drop to nobody/nogroup. */
    NOBODY;

    private static final Logger log = LoggerFactory.getLogger(ProcessIdentity.class);
    private static final String NOBODY_ID = "65534";

    /** Forces an identity (for tests of the fallbacks, or a host where detection guesses wrong). */
    static final String OVERRIDE_PROPERTY = "hotline.db.embedded.process-identity";

    static ProcessIdentity detect() {
        String forced = System.getProperty(OVERRIDE_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return valueOf(forced.trim().toUpperCase(java.util.Locale.ROOT));
        }
        if (!isRoot()) {
            return CURRENT;
        }
        try {
            ProcessRunner.run(List.of("unshare", "--user", "true"), Duration.ofSeconds(10));
            return USER_NAMESPACE;
        } catch (EmbeddedPostgresException e) {
            log.info("User namespaces unavailable ({}); PostgreSQL will run as nobody", e.getMessage());
            return NOBODY;
        }
    }

    List<String> wrap(List<String> command) {
        List<String> wrapped = new ArrayList<>();
        switch (this) {
            case CURRENT -> { }
            case USER_NAMESPACE -> wrapped.addAll(List.of("unshare", "--user"));
            case NOBODY -> wrapped.addAll(List.of("setpriv", "--reuid=" + NOBODY_ID, "--regid=" + NOBODY_ID, "--clear-groups"));
        }
        wrapped.addAll(command);
        return wrapped;
    }

    /** Makes a new data directory usable by the server's user (mode 0700, owned by it). */
    void prepareDirectory(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (this == NOBODY) {
            chownToNobody(dir);
            checkReachableByNobody(dir);
        }
    }

    /** Makes a file the server writes (its log, the initdb password file) usable by the server's user. */
    void prepareFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            if (this == NOBODY) {
                chownToNobody(file);
            }
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot prepare " + file + ": " + e.getMessage(), e);
        }
    }

    private static void chownToNobody(Path path) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, lookup.lookupPrincipalByName("nobody"));
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(lookup.lookupPrincipalByGroupName("nogroup"));
    }

    private void checkReachableByNobody(Path dir) {
        try {
            ProcessRunner.run(wrap(List.of("test", "-w", dir.toString())), Duration.ofSeconds(10));
        } catch (EmbeddedPostgresException e) {
            throw new EmbeddedPostgresException("PostgreSQL runs as 'nobody' here (user namespaces are blocked) and cannot reach "
                    + dir + ": choose a data directory outside /root, e.g. hotline.db.embedded.data-dir=/var/lib/hotline/pgdata.", e);
        }
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
