package vn.hotline.gateway.switchboard.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.switchboard.AcceptanceWatch;
import vn.hotline.gateway.switchboard.SwitchboardProperties;

/** Runs the acceptance watch every {@code watch-interval} once the server is ready; stops on shutdown. */
@Component
@ConditionalOnProperty(name = "hotline.switchboard.watch-enabled", havingValue = "true", matchIfMissing = true)
class AcceptanceWatchLoop implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AcceptanceWatchLoop.class);

    private final AcceptanceWatch watch;
    private final SwitchboardProperties properties;
    private volatile Disposable running;

    AcceptanceWatchLoop(AcceptanceWatch watch, SwitchboardProperties properties) {
        this.watch = watch;
        this.properties = properties;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        running = Flux.interval(properties.watchInterval())
                .onBackpressureDrop()
                .concatMap(tick -> watch.runOnce().onErrorResume(e -> {
                    log.error("111 acceptance watch pass failed; the next pass retries: {}", e.toString());
                    return Mono.just(0);
                }), 1)
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
