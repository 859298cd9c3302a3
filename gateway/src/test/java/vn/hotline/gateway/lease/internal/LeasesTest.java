package vn.hotline.gateway.lease.internal;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.lease.LeaseProperties;

@GatewayTest
class LeasesTest {

    @Autowired
    DatabaseClient db;
    @Autowired
    TransactionalOperator tx;

    private R2dbcLeases node(String id) {
        return new R2dbcLeases(db, new LeaseProperties(id));
    }

    @Test
    void aHeldLeaseIsRefusedToOthersAndRenewedForItsHolder() {
        R2dbcLeases a = node("a");
        R2dbcLeases b = node("b");
        StepVerifier.create(a.acquire("held", Duration.ofMinutes(1))).expectNext(true).verifyComplete();
        StepVerifier.create(b.acquire("held", Duration.ofMinutes(1))).expectNext(false).verifyComplete();
        StepVerifier.create(a.acquire("held", Duration.ofMinutes(1))).expectNext(true).verifyComplete();
    }

    @Test
    void anExpiredLeasePassesToAnotherNodeAndFencesTheOldHolder() {
        R2dbcLeases a = node("a");
        R2dbcLeases b = node("b");
        StepVerifier.create(a.acquire("expiring", Duration.ofMillis(50))).expectNext(true).verifyComplete();
        StepVerifier.create(Mono.delay(Duration.ofMillis(120)).then(b.acquire("expiring", Duration.ofMinutes(1))))
                .expectNext(true).verifyComplete();
        StepVerifier.create(tx.transactional(a.holdWithin("expiring"))).expectNext(false).verifyComplete();
        StepVerifier.create(tx.transactional(b.holdWithin("expiring"))).expectNext(true).verifyComplete();
    }

    @Test
    void aReleasedLeaseIsFreeAtOnce() {
        R2dbcLeases a = node("a");
        R2dbcLeases b = node("b");
        StepVerifier.create(a.acquire("released", Duration.ofMinutes(10)).then(a.release("released"))).verifyComplete();
        StepVerifier.create(b.acquire("released", Duration.ofMinutes(1))).expectNext(true).verifyComplete();
    }
}
