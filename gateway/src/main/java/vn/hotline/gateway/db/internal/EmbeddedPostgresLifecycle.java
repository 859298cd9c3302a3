package vn.hotline.gateway.db.internal;

import java.time.Duration;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import vn.hotline.db.EmbeddedPostgres;

/**
 * Ties the embedded PostgreSQL to the application context: registered first, so it is destroyed last, after the
 * connection pools have closed; supervised while the context runs (started again when it dies); stopped at once if
 * start-up fails.
 */
class EmbeddedPostgresLifecycle implements ApplicationListener<ApplicationEvent> {

    private final EmbeddedPostgres postgres;

    EmbeddedPostgresLifecycle(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationPreparedEvent prepared) {
            var beans = (DefaultSingletonBeanRegistry) prepared.getApplicationContext().getBeanFactory();
            beans.registerSingleton("embeddedPostgres", postgres);
            beans.registerDisposableBean("embeddedPostgres", postgres::close);
            // Restarted when it dies (1 s checks, back-off 1 s doubling); after six failed starts in a row (about
            // 30 s) the server exits non-zero, so that systemd restarts the whole unit (ops/systemd/hotline.service).
            postgres.supervise(Duration.ofSeconds(1), Duration.ofSeconds(1), 6,
                    () -> System.exit(SpringApplication.exit(prepared.getApplicationContext(), () -> 1)));
        } else if (event instanceof ApplicationFailedEvent) {
            postgres.close();
        }
    }
}
