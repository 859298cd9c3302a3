package vn.hotline.gateway.audit;

import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The hash chain over audit events: sealed by one node at a time in the background, anchored outside the database,
 * verified on demand.
 */
public interface AuditChain {

    /** Seals every event due now if this node holds (or can take) the sealer lease; the number sealed, 0 otherwise. */
    Mono<Long> sealPending();

    /** Signs the current head and writes it to the anchor sinks; empty for an empty chain. */
    Mono<Optional<Anchor>> anchorNow();

    /** Head, backlog and sealing lag. */
    Mono<ChainStatus> status();

    /** Recomputes the chain against every anchor, with progress; records {@link AuditAction#AUDIT_VERIFIED}. */
    Flux<VerificationProgress> verify(Actor requestedBy);
}
