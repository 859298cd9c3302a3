package vn.hotline.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per test JVM, started by the same launcher as the server, with durability off (tests only).
 * Each test class takes a fresh database cloned from a migrated template, which takes milliseconds.
 */
public final class TestPostgres {

    public static final String OWNER_ROLE = "hotline_owner";
    public static final String APP_ROLE = "hotline_app";
    public static final String OWNER_PASSWORD = "owner-test-password";
    public static final String APP_PASSWORD = "app-test-password";
    private static final String TEMPLATE = "hotline_template";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private static TestPostgres instance;

    private final EmbeddedPostgres postgres;

    private TestPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** The JVM's test server, started and migrated on first use. */
    public static synchronized TestPostgres get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestPostgres start() {
        Path root;
        try {
            root = Files.createTempDirectory("hotline-test-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.start(new EmbeddedPostgres.Settings(root.resolve("data"), 0,
                "Asia/Ho_Chi_Minh", false, Duration.ofSeconds(60), Map.of("max_connections", "300")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            postgres.close();
            deleteTree(root);
        }, "test-postgres-stop"));
        postgres.ensureRole(OWNER_ROLE, OWNER_PASSWORD);
        postgres.ensureRole(APP_ROLE, APP_PASSWORD);
        postgres.ensureDatabase(TEMPLATE, OWNER_ROLE);
        DatabaseMigrations.migrate(postgres.jdbcUrl(TEMPLATE), OWNER_ROLE, OWNER_PASSWORD, APP_ROLE);
        return new TestPostgres(postgres);
    }

    /** The server itself, for tests of the launcher's settings. */
    public EmbeddedPostgres server() {
        return postgres;
    }

    /** A fresh database with every migration applied, cloned from the template. */
    public TestDatabase newMigratedDatabase() {
        return createDatabase(TEMPLATE);
    }

    /** A fresh empty database (from {@code template0}), for the migration test itself. */
    public TestDatabase newEmptyDatabase() {
        return createDatabase("template0");
    }

    private TestDatabase createDatabase(String template) {
        String name = "hotline_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = postgres.superuserConnection("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE " + template + " OWNER " + OWNER_ROLE);
            s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + name + " TO " + APP_ROLE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return new TestDatabase(postgres.port(), name);
    }

    /** Opens a superuser connection, for tests that play the attacker with full rights. */
    public Connection superuser(TestDatabase db) throws SQLException {
        return postgres.superuserConnection(db.name());
    }

    /** A database on the test server and how to reach it as the owner or the application role. */
    public record TestDatabase(int port, String name) {

        public String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
        }

        /** The single URL form the server accepts in {@code HOTLINE_DB_URL}, with the application role. */
        public String hotlineUrl() {
            return "postgresql://" + APP_ROLE + ":" + APP_PASSWORD + "@127.0.0.1:" + port + "/" + name;
        }

        public Connection asOwner() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), OWNER_ROLE, OWNER_PASSWORD);
        }

        public Connection asApp() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), APP_ROLE, APP_PASSWORD);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
