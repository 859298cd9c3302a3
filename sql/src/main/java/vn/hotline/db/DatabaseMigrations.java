package vn.hotline.db;

import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** The one place that says where the migrations are and which placeholders they need. */
public final class DatabaseMigrations {

    /** Classpath location of the versioned migrations. */
    public static final String LOCATION = "classpath:db/migration";
    /** Placeholder naming the run-time application role that the migrations grant privileges to. */
    public static final String APP_ROLE_PLACEHOLDER = "app_role";

    private DatabaseMigrations() {
    }

    /** Applies this project's settings to a Flyway configuration (Spring Boot's, or a plain one). */
    public static FluentConfiguration configure(FluentConfiguration configuration, String appRole) {
        EmbeddedPostgres.requireIdentifier(appRole);
        return configuration
                .locations(LOCATION)
                .placeholders(Map.of(APP_ROLE_PLACEHOLDER, appRole))
                .validateMigrationNaming(true)
                .cleanDisabled(true);
    }

    /** Migrates the database at {@code jdbcUrl} as {@code ownerUser}; returns the number of migrations applied. */
    public static int migrate(String jdbcUrl, String ownerUser, String ownerPassword, String appRole) {
        Flyway flyway = configure(Flyway.configure(), appRole).dataSource(jdbcUrl, ownerUser, ownerPassword).load();
        return flyway.migrate().migrationsExecuted;
    }
}
