package vn.hotline.gateway.outbox;

/**
 * A message a dispatcher holds a lease on: send it, then mark it delivered or release it for a retry.
 *
 * @param id the outbox row
 * @param messageType what it is
 * @param idempotencyKey to send along
 * @param payloadJson the body as stored
 * @param attempt 1 on the first try
 */
public record ClaimedMessage(long id, String messageType, String idempotencyKey, String payloadJson, int attempt) {
}
