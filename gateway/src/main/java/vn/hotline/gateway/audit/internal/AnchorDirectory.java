package vn.hotline.gateway.audit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.audit.Anchor;
import vn.hotline.gateway.audit.AuditProperties;

/** The default anchor sink: one JSON file per anchored head, {@code anchor-<seq>.json}, written atomically. */
@Component
class AnchorDirectory {

    private final Path directory;
    private final JsonMapper json;

    AnchorDirectory(AuditProperties properties, JsonMapper json) {
        this.directory = properties.anchoring().directory();
        this.json = json;
    }

    void write(Anchor anchor) {
        try {
            Files.createDirectories(directory);
            Path tmp = Files.createTempFile(directory, "anchor", ".tmp");
            Files.write(tmp, json.writeValueAsBytes(anchor));
            Files.move(tmp, directory.resolve(String.format("anchor-%020d.json", anchor.seq())),
                    StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write anchor to " + directory, e);
        }
    }

    /** Every anchor in the directory; an unreadable file fails the read rather than being skipped. */
    List<Anchor> readAll() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Anchor> anchors = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("anchor-\\d+\\.json")).sorted().toList()) {
                anchors.add(json.readValue(Files.readAllBytes(file), Anchor.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read anchors in " + directory, e);
        }
        return anchors;
    }
}
