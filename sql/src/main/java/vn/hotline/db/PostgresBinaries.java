package vn.hotline.db;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL server binaries shipped on the classpath (zonky's packaging of the official build), unpacked once
 * per version into a shared folder that any user can read.
 */
final class PostgresBinaries {

    /** Overrides where binaries are unpacked; the default is the system temporary folder. */
    static final String DIR_PROPERTY = "hotline.db.embedded.binaries-dir";

    private static final Pattern VERSION = Pattern.compile("PostgreSQL\\)?\\s+(\\d+)\\.");
    private static volatile PostgresBinaries extracted;

    private final Path home;
    private final int majorVersion;

    private PostgresBinaries(Path home, int majorVersion) {
        this.home = home;
        this.majorVersion = majorVersion;
    }

    Path bin(String name) {
        return home.resolve("bin").resolve(name);
    }

    int majorVersion() {
        return majorVersion;
    }

    static synchronized PostgresBinaries extract() {
        if (extracted == null) {
            extracted = doExtract();
        }
        return extracted;
    }

    private static PostgresBinaries doExtract() {
        String resource = "postgres-linux-" + arch() + ".txz";
        URL url = PostgresBinaries.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new EmbeddedPostgresException("No bundled PostgreSQL binaries for this platform (" + resource
                    + " not on the classpath): configure an existing PostgreSQL with HOTLINE_DB_URL.");
        }
        String base = System.getProperty(DIR_PROPERTY, System.getProperty("java.io.tmpdir"));
        Path home = Path.of(base).resolve("hotline-postgres-" + shortHash(url.toString()));
        try {
            if (!Files.isRegularFile(home.resolve(".complete"))) {
                unpack(url, home);
            }
            return new PostgresBinaries(home, readMajorVersion(home));
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Cannot unpack the PostgreSQL binaries into " + home + " (" + e.getMessage()
                    + "): set -D" + DIR_PROPERTY + " to a writable folder.", e);
        }
    }

    private static void unpack(URL url, Path home) throws IOException {
        Files.createDirectories(home.getParent());
        Path staging = Files.createTempDirectory(home.getParent(), home.getFileName() + ".staging-");
        try (InputStream in = new BufferedInputStream(url.openStream());
             TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = staging.resolve(entry.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                }
            }
        }
        makeReadableByAll(staging);
        Files.writeString(staging.resolve(".complete"), "ok", StandardCharsets.UTF_8);
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
            // Another JVM unpacked the same version first; theirs is as good as ours.
            deleteTree(staging);
        }
    }

    private static void makeReadableByAll(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                perms.add(PosixFilePermission.OWNER_READ);
                perms.add(PosixFilePermission.GROUP_READ);
                perms.add(PosixFilePermission.OTHERS_READ);
                if (Files.isDirectory(p) || perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
                    perms.add(PosixFilePermission.OWNER_EXECUTE);
                    perms.add(PosixFilePermission.GROUP_EXECUTE);
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                }
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = java.util.EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        if ((mode & 0100) != 0) {
            perms.add(PosixFilePermission.OWNER_EXECUTE);
        }
        return perms;
    }

    private static int readMajorVersion(Path home) {
        String out = ProcessRunner.run(List.of(home.resolve("bin/postgres").toString(), "-V"), Duration.ofSeconds(30));
        Matcher m = VERSION.matcher(out);
        if (!m.find()) {
            throw new EmbeddedPostgresException("Cannot read the PostgreSQL version from: " + out.trim());
        }
        return Integer.parseInt(m.group(1));
    }

    private static String arch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> arch;
        };
    }

    private static String shortHash(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
