package vn.hotline.gateway.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.db.SqlPart;

/**
 * The transactional outbox. Writers enqueue in their own transaction; dispatchers claim due messages with a lease in
 * a short transaction of their own, send outside any transaction, then settle. A lease that runs out (a node died
 * mid-send) makes the message due again, so it is sent at least once.
 */
public interface Outbox {

    /** Adds a message in the caller's transaction; a second message with the same idempotency key is ignored. */
    Mono<Void> enqueue(OutboxMessage message);

    /**
     * The messages as a part of the writer's own statement ({@link SqlPart#together}): enqueued atomically with the
     * change, in the same round trip; a message whose idempotency key is there already is skipped.
     */
    default SqlPart part(List<OutboxMessage> messages) {
        return part("outbox", messages);
    }

    /** {@link #part(List)} for messages at hand. */
    default SqlPart part(OutboxMessage... messages) {
        return part(List.of(messages));
    }

    /** {@link #part(List)} with its parameters named after {@code prefix}, for a second outbox part in one statement. */
    SqlPart part(String prefix, List<OutboxMessage> messages);

    /** Leases up to {@code limit} due messages for {@code owner}; rows other dispatchers hold are skipped, not waited on. */
    Flux<ClaimedMessage> claim(String destination, String owner, Duration lease, int limit);

    /** Marks a message sent; false when the lease was lost meanwhile (another node may send it again). */
    Mono<Boolean> markDelivered(long id, String owner);

    /** Gives a message back after a failed send, due again at {@code retryAt}; false when the lease was lost. */
    Mono<Boolean> release(long id, String owner, String error, Instant retryAt);

    /** The undelivered messages per destination that has any (an index scan of the undelivered rows only). */
    Flux<Backlog> backlog();
}
