package vn.hotline.gateway.db.internal;

import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import vn.hotline.db.DatabaseMigrations;
import vn.hotline.gateway.db.DatabaseProperties;

/** Boot's Flyway runs the {@code sql} module's migrations with the same settings as every other runner. */
@Configuration(proxyBeanMethods = false)
class FlywaySettings {

    @Bean
    FlywayConfigurationCustomizer hotlineMigrations(DatabaseProperties properties) {
        return configuration -> DatabaseMigrations.configure(configuration, properties.appRole());
    }
}
