package vn.hotline.gateway.lease;

import java.time.Duration;
import reactor.core.publisher.Mono;

/**
 * Named leases for work that must run on one node at a time (the audit sealer, later the AMI consumer of each
 * Asterisk). A holder renews well before expiry; a node that stops renewing loses the lease when it expires. Expiry is
 * judged on the database clock, so nodes with skewed clocks agree.
 */
public interface Leases {

    /** This node's holder id, unique per process. */
    String nodeId();

    /** Takes the lease if it is free or expired, or renews it if this node holds it; true when this node holds it now. */
    Mono<Boolean> acquire(String name, Duration ttl);

    /**
     * The fence: inside the caller's transaction, true when this node still holds the lease, and locks it so no other
     * node can take it over before that transaction ends. Work done after a false must be abandoned.
     */
    Mono<Boolean> holdWithin(String name);

    /** Gives the lease up at once (on shutdown), so another node need not wait for it to expire. */
    Mono<Void> release(String name);
}
