package vn.hotline.gateway.outbox;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A message for another system, written in the transaction that decided to send it.
 *
 * @param destination which dispatcher sends it, e.g. {@code switchboard-111} or {@code twilio-sms}
 * @param messageType what it is, e.g. {@code referral.create}
 * @param idempotencyKey unique; the receiver deduplicates on it
 * @param payload JSON-serialisable body without clear personal data
 * @param availableAt not sent before this instant
 * @param orderingKey messages of one destination with the same key are delivered in the order they were written
 *     (the case they concern: {@link #forCase}); null when order does not matter
 */
public record OutboxMessage(String destination, String messageType, String idempotencyKey, Map<String, ?> payload,
                            Instant availableAt, String orderingKey) {

    public OutboxMessage {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(availableAt, "availableAt");
        payload = Map.copyOf(payload);
    }

    /** A message that needs no order relative to others. */
    public OutboxMessage(String destination, String messageType, String idempotencyKey, Map<String, ?> payload,
                         Instant availableAt) {
        this(destination, messageType, idempotencyKey, payload, availableAt, null);
    }

    /** This message, delivered after every earlier one of its destination about the same case. */
    public OutboxMessage forCase(Object caseId) {
        return new OutboxMessage(destination, messageType, idempotencyKey, payload, availableAt, "case:" + caseId);
    }
}
