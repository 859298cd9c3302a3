package vn.hotline.gateway.db.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import vn.hotline.db.EmbeddedPostgres;
import vn.hotline.db.Secrets;
import vn.hotline.gateway.db.DatabaseProperties;

/**
 * Turns {@code hotline.db.*} into Spring's R2DBC and Flyway settings before any bean exists: from the one configured
 * URL, or by starting the embedded PostgreSQL when none is configured. Fails fast, with one line saying what to fix,
 * when the database cannot be reached.
 */
public class DatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    private static final String SOURCE = "hotlineDatabase";
    private static final String OWNER_ROLE = "hotline_owner";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(SOURCE)) {
            return;
        }
        Binder binder = Binder.get(environment);
        DatabaseProperties props = binder.bindOrCreate("hotline.db", DatabaseProperties.class);
        if (props.embeddedMode() && environment.containsProperty("spring.r2dbc.url")) {
            return; // the standard Spring properties are set: respect them as they are
        }
        String zone = binder.bind("hotline.time.zone", String.class).orElse("Asia/Ho_Chi_Minh");
        Map<String, Object> derived = props.embeddedMode()
                ? startEmbedded(props, zone, application)
                : fromUrl(props, DatabaseUrl.parse(props.url()));
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, derived));
    }

    private Map<String, Object> fromUrl(DatabaseProperties props, DatabaseUrl url) {
        String ownerUser = props.ownerUser() == null || props.ownerUser().isBlank() ? url.user() : props.ownerUser();
        String ownerPassword = props.ownerUser() == null || props.ownerUser().isBlank() ? url.password() : props.ownerPassword();
        checkReachable(url, url.user(), url.password());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.r2dbc.url", url.r2dbcUrl());
        p.put("spring.r2dbc.username", url.user());
        p.put("spring.r2dbc.password", nullToEmpty(url.password()));
        p.put("spring.flyway.url", url.jdbcUrl());
        p.put("spring.flyway.user", ownerUser);
        p.put("spring.flyway.password", nullToEmpty(ownerPassword));
        return p;
    }

    private Map<String, Object> startEmbedded(DatabaseProperties props, String zone, SpringApplication application) {
        DatabaseProperties.Embedded embedded = props.embedded();
        EmbeddedPostgres postgres = EmbeddedPostgres.start(EmbeddedPostgres.Settings.durable(embedded.dataDir(), embedded.port(), zone));
        application.addListeners(new EmbeddedPostgresLifecycle(postgres));
        Path secrets = embedded.secretsDir();
        String ownerPassword = Secrets.readOrCreate(secrets.resolve("db-owner.password"));
        String appPassword = Secrets.readOrCreate(secrets.resolve("db-app.password"));
        postgres.ensureRole(OWNER_ROLE, ownerPassword);
        postgres.ensureRole(props.appRole(), appPassword);
        postgres.ensureDatabase(embedded.database(), OWNER_ROLE, props.appRole());
        DatabaseUrl url = new DatabaseUrl("127.0.0.1", postgres.port(), embedded.database(), props.appRole(), appPassword, null);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.r2dbc.url", url.r2dbcUrl());
        p.put("spring.r2dbc.username", props.appRole());
        p.put("spring.r2dbc.password", appPassword);
        p.put("spring.flyway.url", url.jdbcUrl());
        p.put("spring.flyway.user", OWNER_ROLE);
        p.put("spring.flyway.password", ownerPassword);
        return p;
    }

    private static void checkReachable(DatabaseUrl url, String user, String password) {
        Properties info = new Properties();
        info.setProperty("user", user);
        if (password != null) {
            info.setProperty("password", password);
        }
        info.setProperty("connectTimeout", "5");
        info.setProperty("loginTimeout", "10");
        try (Connection ignored = DriverManager.getConnection(url.jdbcUrl(), info)) {
            // reachable
        } catch (SQLException e) {
            throw new DatabaseConfigurationException("Cannot connect to the database " + url.describe() + " ("
                    + firstLine(e.getMessage()) + "): check HOTLINE_DB_URL and that PostgreSQL is running.", e);
        }
    }

    private static String firstLine(String s) {
        return s == null ? "no detail" : s.lines().findFirst().orElse(s);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
