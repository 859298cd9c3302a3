package vn.hotline.gateway;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import vn.hotline.db.TestPostgres;

/**
 * Gives every test application context its own database, cloned from the migrated template on the JVM's test
 * PostgreSQL, before the server's database set-up reads {@code hotline.db.url}, and its own anchor directory.
 */
public class FreshDatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Set by {@link GatewayTest}. */
    public static final String ENABLED = "hotline.test.fresh-database";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(ENABLED, Boolean.class, false) || environment.getPropertySources().contains("freshDatabase")) {
            return;
        }
        TestPostgres.TestDatabase db = TestPostgres.get().newMigratedDatabase();
        environment.getPropertySources().addFirst(new MapPropertySource("freshDatabase",
                Map.of("hotline.db.url", db.hotlineUrl(), "hotline.test.database-name", db.name(),
                        // Anchors belong to one chain: a directory shared between test databases would mix chains.
                        "hotline.audit.anchoring.directory", System.getProperty("java.io.tmpdir") + "/hotline-test-anchors/" + db.name())));
    }
}
