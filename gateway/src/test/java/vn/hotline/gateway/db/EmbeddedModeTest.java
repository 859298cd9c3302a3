package vn.hotline.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

/** The server's default mode: no database configured, so it runs its own, durable, and keeps data across restarts. */
class EmbeddedModeTest {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start() {
        return EmbeddedServer.start(dir, dir.resolve("pgdata"));
    }

    private static String show(DatabaseClient db, String setting) {
        return db.sql("SHOW " + setting).map(row -> row.get(0, String.class)).one().block();
    }

    @Test
    void theServerRunsItsOwnDurablePostgresAndDataSurvivesARestart() {
        try (ConfigurableApplicationContext app = start()) {
            DatabaseClient db = app.getBean(DatabaseClient.class);
            assertThat(show(db, "fsync")).isEqualTo("on");
            assertThat(show(db, "synchronous_commit")).isEqualTo("on");
            assertThat(show(db, "full_page_writes")).isEqualTo("on");
            assertThat(show(db, "log_timezone")).isEqualTo("Asia/Ho_Chi_Minh");
            assertThat(db.sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").map(r -> r.get(0, Boolean.class)).one().block())
                    .isFalse();
            db.sql("""
                    INSERT INTO users (id, username, password_hash, role, display_name, created_at)
                    VALUES (gen_random_uuid(), 'kept', 'x', 'ADMIN', 'Kept', now())""").then().block();
            EmbeddedServer.client(app)
                    .get().uri("/actuator/health").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.components.r2dbc.status").isEqualTo("UP");
        }
        try (ConfigurableApplicationContext app = start()) {
            DatabaseClient db = app.getBean(DatabaseClient.class);
            assertThat(db.sql("SELECT count(*) FROM users WHERE username = 'kept'").map(r -> r.get(0, Long.class)).one().block())
                    .isEqualTo(1L);
        }
    }
}
