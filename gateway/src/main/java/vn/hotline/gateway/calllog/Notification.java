package vn.hotline.gateway.calllog;

import java.time.Instant;
import java.util.Optional;

/**
 * A message sent to another system about a case (outbox), as the log shows it: no payload.
 *
 * @param destination officer-notify, switchboard-111, ...
 * @param messageType what it was
 * @param createdAt when it was written
 * @param attempts how many sends were tried
 * @param deliveredAt when it was delivered
 * @param lastError the last failure, if any
 */
public record Notification(String destination, String messageType, Instant createdAt, int attempts,
                           Optional<Instant> deliveredAt, Optional<String> lastError) {
}
