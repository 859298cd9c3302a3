package vn.hotline.gateway.cases;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Case changes made on this node, as a hot stream for live pages. In-process only: with several gateway nodes each
 * sees its own changes, so a listener that must not miss another node's changes also polls the database (the console
 * does). A slow subscriber drops events rather than holding back the case service.
 */
@Component
public class CaseChanges {

    private final Sinks.Many<CaseChange> sink = Sinks.many().multicast().directBestEffort();

    /** Changes from now on; nothing is replayed. */
    public Flux<CaseChange> stream() {
        return sink.asFlux();
    }

    void publish(CaseChange change) {
        // Concurrent emitters (two requests committing at once) are retried briefly instead of failing the caller.
        sink.emitNext(change, Sinks.EmitFailureHandler.busyLooping(java.time.Duration.ofMillis(50)));
    }
}
