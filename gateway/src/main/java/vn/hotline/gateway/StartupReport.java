package vn.hotline.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.hotline.db.EmbeddedPostgres;
import vn.hotline.gateway.channel.asterisk.FastAgiListener;
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
    private final ObjectProvider<FastAgiListener> fastAgi;

    StartupReport(ObjectProvider<EmbeddedPostgres> embeddedPostgres, ObjectProvider<FastAgiListener> fastAgi) {
        this.embeddedPostgres = embeddedPostgres;
        this.fastAgi = fastAgi;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        embeddedPostgres.ifAvailable(pg -> log.info("Embedded PostgreSQL {} on 127.0.0.1:{}, data in {}",
                pg.majorVersion(), pg.port(), pg.dataDir()));
        fastAgi.ifAvailable(agi -> log.info("FastAGI on {}:{} (scripts: agi://{}:{}/ivr; /accept, /dial-result, /hangup)",
                agi.bindAddress(), agi.port(), agi.bindAddress(), agi.port()));
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            log.info("Hotline server ready: HTTP on port {} (health: /actuator/health)", web.getWebServer().getPort());
        }
    }
}
