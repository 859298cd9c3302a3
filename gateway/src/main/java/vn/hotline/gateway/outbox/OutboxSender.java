package vn.hotline.gateway.outbox;

import reactor.core.publisher.Mono;

/**
 * Sends the outbox messages of one destination to the system behind it. A bean of this type is all a new
 * destination needs: the dispatcher claims, retries with back-off and settles. Sends are at least once, so a sender
 * passes {@link ClaimedMessage#idempotencyKey()} on for the receiver to deduplicate.
 */
public interface OutboxSender {

    /** The destination whose messages this sender takes, e.g. {@code switchboard-111}. */
    String destination();

    /** Sends one message; an error (or a time-out) means "try again later". */
    Mono<Void> send(ClaimedMessage message);
}
