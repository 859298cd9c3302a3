package vn.hotline.gateway.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.MutableClock;

@GatewayTest
@Import({MutableClock.Config.class, OutboxDispatcherTest.FlakySender.class, OutboxDispatcherTest.OrderedSender.class})
class OutboxDispatcherTest {

    @Autowired
    OutboxDispatcher dispatcher;
    @Autowired
    Outbox outbox;
    @Autowired
    FlakySender sender;
    @Autowired
    OrderedSender ordered;
    @Autowired
    MutableClock clock;
    @Autowired
    DatabaseClient db;

    /** A receiver that is down for its first two calls. */
    @TestConfiguration
    static class FlakySender implements OutboxSender {
        final AtomicInteger calls = new AtomicInteger();
        final List<String> delivered = new CopyOnWriteArrayList<>();

        @Override
        public String destination() {
            return "flaky";
        }

        @Override
        public Mono<Void> send(ClaimedMessage message) {
            if (calls.incrementAndGet() <= 2) {
                return Mono.error(new IllegalStateException("HTTP 503"));
            }
            delivered.add(message.idempotencyKey());
            return Mono.empty();
        }
    }

    @Test
    void aFailedSendIsRetriedWithGrowingBackOffUntilItIsDeliveredOnce() {
        outbox.enqueue(new OutboxMessage("flaky", "test", "flaky-1", Map.of("n", 1), clock.instant())).block();

        assertThat(dispatcher.runOnce(sender).block()).isZero();
        assertThat(dispatcher.runOnce(sender).block()).as("not due again before its back-off").isZero();
        assertThat(sender.calls).hasValue(1);

        clock.advance(Duration.ofSeconds(3));
        assertThat(dispatcher.runOnce(sender).block()).isZero();
        assertThat(sender.calls).hasValue(2);
        String error = db.sql("SELECT last_error FROM outbox WHERE idempotency_key = 'flaky-1'").map(r -> r.get(0, String.class)).one().block();
        assertThat(error).contains("HTTP 503");

        clock.advance(Duration.ofSeconds(6));
        assertThat(dispatcher.runOnce(sender).block()).isEqualTo(1);
        assertThat(sender.delivered).containsExactly("flaky-1");

        clock.advance(Duration.ofHours(1));
        assertThat(dispatcher.runOnce(sender).block()).isZero();
        assertThat(sender.delivered).containsExactly("flaky-1");
    }

    /** A receiver that refuses one message twice and takes everything else. */
    @TestConfiguration
    static class OrderedSender implements OutboxSender {
        final Map<String, Integer> refusals = new ConcurrentHashMap<>(Map.of("case-1-created", 2));
        final List<String> delivered = new CopyOnWriteArrayList<>();

        @Override
        public String destination() {
            return "ordered";
        }

        @Override
        public Mono<Void> send(ClaimedMessage message) {
            if (refusals.merge(message.idempotencyKey(), -1, Integer::sum) >= 0) {
                return Mono.error(new IllegalStateException("HTTP 500"));
            }
            delivered.add(message.idempotencyKey());
            return Mono.empty();
        }
    }

    /** The context (and its senders) is shared by this class's tests: each starts with an empty receiver. */
    @BeforeEach
    void emptyReceiver() {
        ordered.delivered.clear();
    }

    @Test
    void messagesAboutOneCaseWaitForTheEarlierOnesWhileOtherCasesGoOn() {
        outbox.enqueue(message("case-1-created").forCase(1)).block();
        outbox.enqueue(message("case-1-closed").forCase(1)).block();
        outbox.enqueue(message("case-2-created").forCase(2)).block();
        outbox.enqueue(message("unordered")).block();

        dispatcher.runOnce(ordered).block();
        assertThat(ordered.delivered).as("case 1's close waits for its creation").containsExactly("case-2-created", "unordered");
        clock.advance(Duration.ofSeconds(3));
        dispatcher.runOnce(ordered).block();
        assertThat(ordered.delivered).containsExactly("case-2-created", "unordered");

        for (int pass = 0; pass < 3; pass++) {
            clock.advance(Duration.ofSeconds(10));
            dispatcher.runOnce(ordered).block();
        }
        assertThat(ordered.delivered).containsExactly("case-2-created", "unordered", "case-1-created", "case-1-closed");
    }

    @Test
    void aBacklogDrainsInOneTickNotOneBatchPerPollInterval() {
        for (int i = 0; i < 50; i++) {
            outbox.enqueue(message("bulk-" + i)).block();
        }
        assertThat(dispatcher.drain(ordered).block()).isEqualTo(50);
        assertThat(ordered.delivered).contains("bulk-0", "bulk-49");
    }

    private OutboxMessage message(String key) {
        return new OutboxMessage("ordered", "test", key, Map.of("key", key), clock.instant());
    }

    @Test
    void backOffDoublesAndIsCapped() {
        assertThat(dispatcher.backoff(1)).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2400));
        assertThat(dispatcher.backoff(3)).isBetween(Duration.ofSeconds(8), Duration.ofMillis(9600));
        assertThat(dispatcher.backoff(40)).isBetween(Duration.ofMinutes(10), Duration.ofMinutes(12));
    }
}
