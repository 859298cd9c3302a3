package vn.hotline.gateway.channel.asterisk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.hotline.gateway.channel.asterisk.internal.AmiTestSupport.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.channel.asterisk.AmiProperties;
import vn.hotline.gateway.channel.asterisk.simulator.AmiRecording;
import vn.hotline.gateway.channel.asterisk.simulator.AmiRecording.AmiMessage;
import vn.hotline.gateway.channel.asterisk.simulator.AmiSimulator;
import vn.hotline.gateway.lease.internal.TestLeases;

/**
 * One node at a time holds an Asterisk's AMI connection, with the shipped timings (heartbeat 2 s, lease 6 s): two
 * nodes against one database never both hold it, a killed holder is replaced within 10 s, and a hung holder is
 * fenced out (it writes nothing once the lease passed) so no event is handled twice.
 */
@GatewayTest
class AmiLeaseTest {

    static final AmiSimulator ASTERISK = AmiTestSupport.simulator();

    @AfterAll
    static void stop() throws Exception {
        ASTERISK.close();
    }

    @Autowired
    DatabaseClient db;
    @Autowired
    AmiProperties properties;
    @Autowired
    AmiEventStore store;
    @Autowired
    AmiCallBacks callBacks;
    @Autowired
    Clock clock;

    private AmiConnector node(String system, String nodeId) {
        AmiProperties.Server server = new AmiProperties.Server(system, "127.0.0.1", ASTERISK.port(), AmiTestSupport.USER,
                AmiTestSupport.SECRET);
        return new AmiConnector(server, properties, TestLeases.node(db, nodeId), store, callBacks, clock);
    }

    private long count(String sql) {
        return db.sql(sql).map(r -> r.get(0, Long.class)).one().block();
    }

    @Test
    void theShippedTimingsReplaceAHolderWithinTenSeconds() {
        assertThat(properties.leaseTtl().plus(properties.heartbeat()).plus(properties.responseTimeout()))
                .isLessThanOrEqualTo(Duration.ofSeconds(13));
        assertThat(properties.leaseTtl().plus(properties.heartbeat())).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void twoNodesAgainstOneDatabaseNeverBothHoldTheConnection() throws Exception {
        AmiConnector a = node("pbx-two", "node-a");
        AmiConnector b = node("pbx-two", "node-b");
        int before = ASTERISK.logins();
        a.start();
        await("node a connected", Duration.ofSeconds(10), a::connected);
        b.start();
        try {
            long end = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            while (System.nanoTime() < end) {
                assertThat(a.holding() && b.holding()).as("both hold the lease").isFalse();
                assertThat(b.connected()).as("node b connected").isFalse();
                assertThat(ASTERISK.loggedInSessions()).isLessThanOrEqualTo(1);
                Thread.sleep(20);
            }
            assertThat(ASTERISK.logins() - before).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM node_leases WHERE name = 'ami:pbx-two' AND holder = 'node-a'")).isEqualTo(1);
        } finally {
            a.stop();
            b.stop();
        }
    }

    @Test
    void aKilledHolderIsReplacedWithinTenSecondsAndTheLogGoesOn() throws Exception {
        AmiConnector a = node("pbx-kill", "node-a");
        AmiConnector b = node("pbx-kill", "node-b");
        a.start();
        await("node a connected", Duration.ofSeconds(10), a::connected);
        b.start();
        Thread.sleep(2500);
        try {
            long killed = System.nanoTime();
            a.crash();
            await("node b taking over", Duration.ofSeconds(10), b::connected);
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(takeover).isLessThan(Duration.ofSeconds(10));

            List<AmiMessage> busy = AmiRecording.load("dial-busy/ami.txt").events().stream()
                    .map(m -> m.withValues(Map.of("1795861431.7", "1795861731.7", "1795861431.8", "1795861731.8"))).toList();
            ASTERISK.play(busy);
            await("the events through node b", Duration.ofSeconds(10),
                    () -> count("SELECT count(*) FROM ami_events WHERE asterisk = 'pbx-kill' AND linkedid = '1795861731.7'") == 7);
        } finally {
            a.stop();
            b.stop();
        }
    }

    @Test
    void aHungHolderIsFencedOutSoNoEventIsHandledTwice() throws Exception {
        AmiConnector a = node("pbx-hung", "node-a");
        AmiConnector b = node("pbx-hung", "node-b");
        a.start();
        await("node a connected", Duration.ofSeconds(10), a::connected);
        b.start();
        try {
            a.freeze();
            await("node b taking over", Duration.ofSeconds(10), b::connected);
            // The hung node's TCP session is still open: Asterisk sends every event to both.
            assertThat(ASTERISK.loggedInSessions()).isEqualTo(2);

            List<AmiMessage> busy = AmiRecording.load("dial-busy/ami.txt").events().stream()
                    .map(m -> m.withValues(Map.of("1795861431.7", "1795861831.7", "1795861431.8", "1795861831.8"))).toList();
            assertThat(ASTERISK.play(busy)).isEqualTo(2);

            await("the events", Duration.ofSeconds(10),
                    () -> count("SELECT count(*) FROM ami_events WHERE asterisk = 'pbx-hung' AND linkedid = '1795861831.7'") == 7);
            await("the hung node dropping its connection", Duration.ofSeconds(10), () -> !a.connected());
            Thread.sleep(500);
            assertThat(count("SELECT count(*) FROM ami_events WHERE asterisk = 'pbx-hung' AND linkedid = '1795861831.7'")).isEqualTo(7);
            assertThat(count("SELECT count(DISTINCT session_id) FROM ami_events WHERE asterisk = 'pbx-hung'")).isEqualTo(1);
        } finally {
            a.stop();
            b.stop();
        }
    }

    @Test
    void anAsteriskThatStopsAnsweringIsDroppedAndConnectedAgain() {
        AmiConnector a = node("pbx-silent", "node-a");
        a.start();
        try {
            await("node a connected", Duration.ofSeconds(10), a::connected);
            int logins = ASTERISK.logins();

            ASTERISK.hangCurrentSessions();

            await("a new login", Duration.ofSeconds(25), () -> ASTERISK.logins() > logins && a.connected());
        } finally {
            a.stop();
        }
    }
}
