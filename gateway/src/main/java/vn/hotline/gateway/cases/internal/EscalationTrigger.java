package vn.hotline.gateway.cases.internal;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import vn.hotline.gateway.cases.EscalationScheduler;
import vn.hotline.gateway.health.BackgroundLoop;
import vn.hotline.gateway.health.FailureLog;

/**
 * Runs the escalation scheduler every {@code hotline.cases.escalation-interval} once the server is ready. A pass that
 * outlasts the interval (the database stalled) only drops the ticks it missed: the ladder must keep climbing after it.
 */
@Component
@ConditionalOnProperty(name = "hotline.cases.escalation-enabled", havingValue = "true", matchIfMissing = true)
class EscalationTrigger implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EscalationTrigger.class);

    private final EscalationScheduler scheduler;
    private final FailureLog failures;
    private final String node = ManagementFactory.getRuntimeMXBean().getName();
    private volatile Disposable running;

    EscalationTrigger(EscalationScheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.failures = new FailureLog(log, "Escalation pass", clock);
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        running = BackgroundLoop.every(scheduler.interval(), scheduler.passLimit(), failures,
                () -> scheduler.runDue(node));
    }

    @Override
    public void destroy() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
    }
}
