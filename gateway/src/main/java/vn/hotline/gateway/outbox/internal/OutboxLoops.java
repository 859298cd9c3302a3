package vn.hotline.gateway.outbox.internal;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Sinks;
import vn.hotline.gateway.outbox.OutboxDispatcher;

/** Starts the dispatcher loops once the server is ready and stops them on shutdown. */
@Component
@ConditionalOnProperty(name = "hotline.outbox.dispatch-enabled", havingValue = "true", matchIfMissing = true)
class OutboxLoops implements DisposableBean {

    private final OutboxDispatcher dispatcher;
    private final Sinks.Empty<Void> stop = Sinks.empty();

    OutboxLoops(OutboxDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        dispatcher.loopsUntil(stop.asMono()).subscribe();
    }

    @Override
    public void destroy() {
        stop.tryEmitEmpty();
    }
}
