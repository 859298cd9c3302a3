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
 */
public record OutboxMessage(String destination, String messageType, String idempotencyKey, Map<String, ?> payload,
                            Instant availableAt) {

    public OutboxMessage {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(availableAt, "availableAt");
        payload = Map.copyOf(payload);
    }
}
