package vn.hotline.gateway.outbox.internal;

import io.r2dbc.postgresql.codec.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.db.Rows;
import vn.hotline.gateway.db.SqlPart;
import vn.hotline.gateway.outbox.Backlog;
import vn.hotline.gateway.outbox.ClaimedMessage;
import vn.hotline.gateway.outbox.Outbox;
import vn.hotline.gateway.outbox.OutboxMessage;

/** The outbox on PostgreSQL: claims with {@code FOR UPDATE SKIP LOCKED}, never holding a row lock across a send. */
@Component
class R2dbcOutbox implements Outbox {

    private static final int MAX_ERROR_LENGTH = 500;

    private final DatabaseClient db;
    private final JsonMapper json;
    private final Clock clock;

    R2dbcOutbox(DatabaseClient db, JsonMapper json, Clock clock) {
        this.db = db;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public Mono<Void> enqueue(OutboxMessage message) {
        return SqlPart.together(db, part(List.of(message))).then();
    }

    @Override
    public SqlPart part(String prefix, List<OutboxMessage> messages) {
        Rows rows = Rows.into("outbox", prefix, "destination", "message_type", "idempotency_key", "payload", "created_at",
                "available_at", "ordering_key").skipConflictsOn("idempotency_key");
        OffsetDateTime now = now();
        for (OutboxMessage message : messages) {
            rows.row(message.destination(), message.messageType(), message.idempotencyKey(),
                    Json.of(json.writeValueAsString(message.payload())), now, utc(message.availableAt()),
                    SqlPart.orNull(Optional.ofNullable(message.orderingKey()), String.class));
        }
        return rows.part();
    }

    @Override
    public Flux<ClaimedMessage> claim(String destination, String owner, Duration lease, int limit) {
        // The clock is read when the claim runs, not when it is assembled: a retried or delayed claim sees its own now.
        return Flux.defer(() -> claimAt(destination, owner, lease, limit, now()));
    }

    private Flux<ClaimedMessage> claimAt(String destination, String owner, Duration lease, int limit, OffsetDateTime now) {
        return db.sql("""
                        UPDATE outbox o
                        SET lease_owner = :owner, lease_until = :leaseUntil, attempts = o.attempts + 1
                        WHERE o.id IN (
                            SELECT d.id FROM outbox d
                            WHERE d.destination = :destination AND d.delivered_at IS NULL AND d.available_at <= :now
                              AND (d.lease_until IS NULL OR d.lease_until < :now)
                              AND (d.ordering_key IS NULL OR NOT EXISTS (
                                  SELECT 1 FROM outbox e
                                  WHERE e.destination = d.destination AND e.ordering_key = d.ordering_key
                                    AND e.delivered_at IS NULL AND e.id < d.id))
                            ORDER BY d.available_at, d.id
                            LIMIT :limit
                            FOR UPDATE SKIP LOCKED)
                        RETURNING o.id, o.message_type, o.idempotency_key, o.payload::text AS payload, o.attempts""")
                .bind("owner", owner)
                .bind("leaseUntil", now.plus(lease))
                .bind("destination", destination)
                .bind("now", now)
                .bind("limit", limit)
                .map(row -> new ClaimedMessage(row.get("id", Long.class), row.get("message_type", String.class),
                        row.get("idempotency_key", String.class), row.get("payload", String.class),
                        row.get("attempts", Integer.class)))
                .all();
    }

    @Override
    public Mono<Boolean> markDelivered(long id, String owner) {
        return db.sql("""
                        UPDATE outbox SET delivered_at = :now, lease_owner = NULL, lease_until = NULL, last_error = NULL
                        WHERE id = :id AND lease_owner = :owner AND delivered_at IS NULL""")
                .bind("now", now())
                .bind("id", id)
                .bind("owner", owner)
                .fetch().rowsUpdated()
                .map(n -> n == 1);
    }

    @Override
    public Mono<Boolean> release(long id, String owner, String error, Instant retryAt) {
        String trimmed = error == null ? null : error.substring(0, Math.min(error.length(), MAX_ERROR_LENGTH));
        return db.sql("""
                        UPDATE outbox SET lease_owner = NULL, lease_until = NULL, available_at = :retryAt, last_error = :error
                        WHERE id = :id AND lease_owner = :owner AND delivered_at IS NULL""")
                .bind("retryAt", utc(retryAt))
                .bind("error", trimmed == null ? "" : trimmed)
                .bind("id", id)
                .bind("owner", owner)
                .fetch().rowsUpdated()
                .map(n -> n == 1);
    }

    @Override
    public Flux<Backlog> backlog() {
        return db.sql("""
                        SELECT destination, count(*) AS pending, min(created_at) AS oldest FROM outbox
                        WHERE delivered_at IS NULL GROUP BY destination""")
                .map(row -> new Backlog(row.get("destination", String.class), row.get("pending", Long.class),
                        row.get("oldest", OffsetDateTime.class).toInstant()))
                .all();
    }

    private OffsetDateTime now() {
        return utc(clock.instant());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
