package vn.hotline.gateway.db.internal;

import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import vn.hotline.db.EmbeddedPostgres;

/**
 * Ties the embedded PostgreSQL to the application context: registered first, so it is destroyed last, after the
 * connection pools have closed; stopped at once if start-up fails.
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
        } else if (event instanceof ApplicationFailedEvent) {
            postgres.close();
        }
    }
}
