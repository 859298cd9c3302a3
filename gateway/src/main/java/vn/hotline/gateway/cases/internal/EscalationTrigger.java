package vn.hotline.gateway.cases.internal;

import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import vn.hotline.gateway.cases.EscalationScheduler;

/** Runs the escalation scheduler every {@code hotline.cases.escalation-interval} once the server is ready. */
@Component
@ConditionalOnProperty(name = "hotline.cases.escalation-enabled", havingValue = "true", matchIfMissing = true)
class EscalationTrigger implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EscalationTrigger.class);

    private final EscalationScheduler scheduler;
    private final String node = ManagementFactory.getRuntimeMXBean().getName();
    private volatile Disposable running;

    EscalationTrigger(EscalationScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        running = Flux.interval(scheduler.interval(), Schedulers.boundedElastic())
                .concatMap(tick -> scheduler.runDue(node)
                        .onErrorResume(e -> {
                            log.error("Escalation pass failed; the next pass retries: {}", e.toString());
                            return reactor.core.publisher.Mono.just(0);
                        }))
                .subscribe();
    }

    @Override
    public void destroy() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
    }
}
