package vn.hotline.gateway.db;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import vn.hotline.gateway.HotlineApplication;

/**
 * The server as it runs in production, with its own embedded PostgreSQL (no test profile, no shared test database),
 * everything it writes under one folder: for tests of what happens to that PostgreSQL.
 */
public final class EmbeddedServer {

    private EmbeddedServer() {
    }

    /** Starts it with its files under {@code dir}, PostgreSQL's data in {@code dataDir}, and any further arguments. */
    public static ConfigurableApplicationContext start(Path dir, Path dataDir, String... arguments) {
        List<String> all = new ArrayList<>(List.of(
                "--server.port=0",
                "--hotline.db.embedded.data-dir=" + dataDir,
                "--hotline.db.embedded.secrets-dir=" + dir.resolve("secrets"),
                "--hotline.privacy.keys-file=" + dir.resolve("keys/hotline.keys"),
                "--hotline.privacy.generate-keys-if-missing=true",
                "--hotline.audit.anchoring.key-file=" + dir.resolve("keys/anchor.keys"),
                "--hotline.audit.anchoring.generate-key-if-missing=true",
                "--hotline.audit.anchoring.directory=" + dir.resolve("anchors"),
                "--logging.level.root=WARN"));
        all.addAll(List.of(arguments));
        return new SpringApplicationBuilder(HotlineApplication.class).run(all.toArray(String[]::new));
    }

    /** A client of its HTTP port. */
    public static WebTestClient client(ConfigurableApplicationContext app) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }
}
