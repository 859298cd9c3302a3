package vn.hotline.gateway.switchboard.internal;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import vn.hotline.gateway.health.BackgroundLoop;
import vn.hotline.gateway.health.FailureLog;
import vn.hotline.gateway.switchboard.AcceptanceWatch;
import vn.hotline.gateway.switchboard.SwitchboardProperties;

/** Runs the acceptance watch every {@code watch-interval} once the server is ready; stops on shutdown. */
@Component
@ConditionalOnProperty(name = "hotline.switchboard.watch-enabled", havingValue = "true", matchIfMissing = true)
class AcceptanceWatchLoop implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AcceptanceWatchLoop.class);

    private final AcceptanceWatch watch;
    private final SwitchboardProperties properties;
    private final FailureLog failures;
    private volatile Disposable running;

    AcceptanceWatchLoop(AcceptanceWatch watch, SwitchboardProperties properties, Clock clock) {
        this.watch = watch;
        this.properties = properties;
        this.failures = new FailureLog(log, "111 acceptance watch pass", clock);
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        // A pass that outlasts the interval is stuck: the next one starts over.
        running = BackgroundLoop.every(properties.watchInterval(), properties.watchInterval(), failures, watch::runOnce);
    }

    @Override
    public void destroy() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
    }
}
