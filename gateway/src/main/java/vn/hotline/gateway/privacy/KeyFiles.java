package vn.hotline.gateway.privacy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/** Key files (Java properties): read, and created once with mode 0600 so that two processes never both write one. */
public final class KeyFiles {

    private KeyFiles() {
    }

    /** The keys in {@code file}. */
    public static Properties read(Path file) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read key file " + file, e);
        }
        return props;
    }

    /** Writes {@code keys} to {@code file} unless another process created it first (then theirs is kept). */
    public static void createOnce(Path file, Properties keys, String comment) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "keys", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                keys.store(writer, comment);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.delete(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create key file " + file, e);
        }
    }
}
