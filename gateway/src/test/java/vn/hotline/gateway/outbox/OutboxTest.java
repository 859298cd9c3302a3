package vn.hotline.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import vn.hotline.gateway.GatewayTest;

@GatewayTest
class OutboxTest {

    @Autowired
    Outbox outbox;
    @Autowired
    DatabaseClient db;
    @Autowired
    Clock clock;

    private OutboxMessage message(String destination, String key) {
        return new OutboxMessage(destination, "referral.create", key, Map.of("case", "BD-2026-000001"), clock.instant().minusSeconds(1));
    }

    @Test
    void theSameIdempotencyKeyIsEnqueuedOnce() {
        StepVerifier.create(outbox.enqueue(message("dup", "k-1")).then(outbox.enqueue(message("dup", "k-1")))).verifyComplete();
        StepVerifier.create(db.sql("SELECT count(*) AS n FROM outbox WHERE destination = 'dup'").map(r -> r.get("n", Long.class)).one())
                .expectNext(1L).verifyComplete();
    }

    @Test
    void concurrentDispatchersClaimDisjointMessages() {
        Flux.range(0, 40).concatMap(i -> outbox.enqueue(message("race", "race-" + i))).blockLast();

        List<List<ClaimedMessage>> claims = Flux.range(0, 4)
                .flatMap(n -> outbox.claim("race", "node-" + n, Duration.ofMinutes(1), 15).collectList(), 4)
                .collectList().block();

        Set<Long> ids = new HashSet<>();
        int total = 0;
        for (List<ClaimedMessage> claim : claims) {
            total += claim.size();
            claim.forEach(m -> ids.add(m.id()));
        }
        assertThat(total).isEqualTo(40);
        assertThat(ids).hasSize(40);
    }

    @Test
    void aLeaseThatRunsOutMakesTheMessageDueAgainAndTheOldHolderCannotSettleIt() {
        StepVerifier.create(outbox.enqueue(message("lease", "lease-1"))).verifyComplete();
        ClaimedMessage first = outbox.claim("lease", "node-a", Duration.ofMillis(1), 10).blockFirst();
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.payloadJson()).contains("BD-2026-000001");

        ClaimedMessage again = Mono.delay(Duration.ofMillis(50))
                .thenMany(outbox.claim("lease", "node-b", Duration.ofMinutes(1), 10)).blockFirst();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.attempt()).isEqualTo(2);

        StepVerifier.create(outbox.markDelivered(first.id(), "node-a")).expectNext(false).verifyComplete();
        StepVerifier.create(outbox.markDelivered(again.id(), "node-b")).expectNext(true).verifyComplete();
        StepVerifier.create(outbox.claim("lease", "node-c", Duration.ofMinutes(1), 10)).verifyComplete();
    }

    @Test
    void aReleasedMessageWaitsUntilItsRetryTime() {
        StepVerifier.create(outbox.enqueue(message("retry", "retry-1"))).verifyComplete();
        ClaimedMessage claimed = outbox.claim("retry", "node-a", Duration.ofMinutes(1), 10).blockFirst();
        StepVerifier.create(outbox.release(claimed.id(), "node-a", "HTTP 503 from 111", clock.instant().plusSeconds(3600)))
                .expectNext(true).verifyComplete();
        StepVerifier.create(outbox.claim("retry", "node-b", Duration.ofMinutes(1), 10)).verifyComplete();
    }
}
