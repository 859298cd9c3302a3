package vn.hotline.gateway.outbox;

import java.time.Instant;

/** The undelivered messages of one destination: how many, and since when the oldest waits. */
public record Backlog(String destination, long pending, Instant oldestCreatedAt) {
}
