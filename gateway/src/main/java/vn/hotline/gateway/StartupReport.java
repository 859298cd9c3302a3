package vn.hotline.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.hotline.db.EmbeddedPostgres;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Prints where the server listens once it is ready, so a newcomer knows what to open. */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final ObjectProvider<EmbeddedPostgres> embeddedPostgres;

    StartupReport(ObjectProvider<EmbeddedPostgres> embeddedPostgres) {
        this.embeddedPostgres = embeddedPostgres;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        embeddedPostgres.ifAvailable(pg -> log.info("Embedded PostgreSQL {} on 127.0.0.1:{}, data in {}",
                pg.majorVersion(), pg.port(), pg.dataDir()));
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            log.info("Hotline server ready: HTTP on port {} (health: /actuator/health)", web.getWebServer().getPort());
        }
    }
}
