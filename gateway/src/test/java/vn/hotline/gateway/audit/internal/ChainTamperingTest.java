package vn.hotline.gateway.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.TestPropertySource;
import reactor.core.publisher.Flux;
import vn.hotline.db.TestPostgres;
import vn.hotline.gateway.GatewayTest;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditChain;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.AuditProperties;
import vn.hotline.gateway.audit.ChainBreak;
import vn.hotline.gateway.audit.ChainProblem;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.audit.VerificationReport;
import vn.hotline.gateway.command.Commands;

/** An attacker with superuser rights changes the log; verification names the first broken entry every time. */
@GatewayTest
@TestPropertySource(properties = "hotline.audit.sealer.enabled=false")
class ChainTamperingTest {

    private static final int EVENTS = 10;

    @Autowired
    AuditLog audit;
    @Autowired
    AuditChain chain;
    @Autowired
    Environment env;
    @Autowired
    AuditProperties properties;

    private TestPostgres.TestDatabase database() {
        return new TestPostgres.TestDatabase(TestPostgres.get().server().port(), env.getProperty("hotline.test.database-name"));
    }

    private Connection superuser() throws SQLException {
        Connection c = TestPostgres.get().superuser(database());
        try (Statement s = c.createStatement()) {
            // What an attacker with full rights does first: triggers and foreign keys stop firing.
            s.execute("SET session_replication_role = replica");
        }
        return c;
    }

    private void superuser(String... statements) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    @BeforeEach
    void aFreshSealedAndAnchoredChain() throws Exception {
        superuser("TRUNCATE audit_seals, audit_events RESTART IDENTITY");
        Path anchors = properties.anchoring().directory();
        if (Files.isDirectory(anchors)) {
            try (Stream<Path> files = Files.list(anchors)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        Flux.range(1, EVENTS).concatMap(i -> audit.record(new AuditEntry(Actor.user("officer"), AuditAction.DEMO_DATA_LOADED,
                new Subject("case", "BD-2026-00000" + i), Map.of("i", i)))).blockLast();
        assertThat(chain.sealPending().block()).isEqualTo(EVENTS);
        chain.anchorNow().block().orElseThrow();
    }

    private VerificationReport verify() {
        return chain.verify(Actor.system("test")).blockLast().report();
    }

    private long eventAt(long seq) throws SQLException {
        try (Connection c = superuser(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id FROM audit_seals WHERE seq = " + seq)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void anUntouchedChainIsIntactAgainstItsAnchor() {
        VerificationReport report = verify();
        assertThat(report.intact()).isTrue();
        assertThat(report.checked()).isEqualTo(EVENTS + 0L);
        assertThat(report.anchorsChecked()).isEqualTo(1);
    }

    @Test
    void oneChangedByteOfOneEventIsCaughtAtItsSeal() throws Exception {
        long event = eventAt(4);
        superuser("UPDATE audit_events SET payload_digest = set_byte(payload_digest, 0, (get_byte(payload_digest, 0) + 1) % 256) WHERE id = " + event);
        assertThat(verify().firstBreak()).isEqualTo(new ChainBreak(4L, event, ChainProblem.HASH_MISMATCH));
    }

    @Test
    void aDeletedEventIsCaughtAtItsSeal() throws Exception {
        long event = eventAt(6);
        superuser("DELETE FROM audit_events WHERE id = " + event);
        assertThat(verify().firstBreak()).isEqualTo(new ChainBreak(6L, event, ChainProblem.EVENT_MISSING));
    }

    @Test
    void aDeletedSealLeavesAGap() throws Exception {
        superuser("DELETE FROM audit_seals WHERE seq = 5");
        assertThat(verify().firstBreak()).isEqualTo(new ChainBreak(5L, null, ChainProblem.SEQUENCE_GAP));
    }

    @Test
    void twoReorderedSealsAreCaught() throws Exception {
        superuser("UPDATE audit_seals SET seq = 1000003 WHERE seq = 3",
                "UPDATE audit_seals SET seq = 3 WHERE seq = 4",
                "UPDATE audit_seals SET seq = 4 WHERE seq = 1000003");
        ChainBreak broken = verify().firstBreak();
        assertThat(broken.seq()).isEqualTo(3L);
        assertThat(broken.problem()).isEqualTo(ChainProblem.PREV_HASH_MISMATCH);
    }

    @Test
    void aWholeChainRewrittenConsistentlyIsCaughtByTheAnchor() throws Exception {
        long event = eventAt(2);
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("UPDATE audit_events SET actor_id = 'someone-else' WHERE id = " + event);
            rewriteEverySeal(c);
        }
        // Every seal recomputes: only the signed anchor outside the database disagrees.
        assertThat(verify().firstBreak()).isEqualTo(new ChainBreak((long) EVENTS, eventAt(EVENTS), ChainProblem.ANCHOR_MISMATCH));
    }

    @Test
    void aChainCutBackBelowItsAnchorIsCaught() throws Exception {
        superuser("DELETE FROM audit_seals WHERE seq > 7");
        assertThat(verify().firstBreak()).isEqualTo(new ChainBreak((long) EVENTS, null, ChainProblem.ANCHOR_BEYOND_HEAD));
    }

    @Test
    void anEventSlippedInBeforeTheHeadIsCaught() throws Exception {
        superuser("INSERT INTO audit_events (occurred_at, tx_id, actor_type, actor_id, action, subject_type, subject_id) "
                + "VALUES (now(), '3'::xid8, 'USER', 'forger', 'DEMO_DATA_LOADED', 'case', 'BD-2026-000001')");
        ChainBreak broken = verify().firstBreak();
        assertThat(broken.problem()).isEqualTo(ChainProblem.EVENT_NOT_SEALED);
        assertThat(broken.seq()).isNull();
    }

    @Test
    void aForgedAnchorIsRefused() throws Exception {
        Path file = Files.list(properties.anchoring().directory()).findFirst().orElseThrow();
        String text = Files.readString(file);
        String hash = text.replaceAll("(?s).*\"hash\":\"([0-9a-f]+)\".*", "$1");
        Files.writeString(file, text.replace(hash, "00" + hash.substring(2)));
        assertThat(verify().firstBreak()).isEqualTo(new ChainBreak((long) EVENTS, null, ChainProblem.ANCHOR_SIGNATURE_INVALID));
    }

    @Test
    void theVerifyCommandExitsZeroOnAnIntactChainAndOneOnABrokenOne() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(runVerifyCommand(out)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("audit-verify INTACT entries=" + EVENTS).contains("anchors=1");

        superuser("UPDATE audit_events SET action = 'LOGIN_FAILED' WHERE id = " + eventAt(9));
        out.reset();
        assertThat(runVerifyCommand(out)).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("audit-verify BROKEN problem=HASH_MISMATCH seq=9");
    }

    private int runVerifyCommand(ByteArrayOutputStream out) {
        return Commands.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                "--hotline.command=audit-verify",
                "--spring.profiles.active=test",
                "--hotline.db.url=" + env.getProperty("hotline.db.url"),
                "--hotline.audit.anchoring.directory=" + properties.anchoring().directory());
    }

    /** The attacker's recomputation: the published algorithm, same seal times and nodes, new hashes all the way. */
    private static void rewriteEverySeal(Connection c) throws SQLException {
        record Seal(long seq, Instant sealedAt, String sealedBy, ChainEvent event) {
        }
        List<Seal> seals = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT s.seq, s.sealed_at, s.sealed_by, e.id, e.occurred_at, e.recorded_at, e.tx_id::text, e.actor_type,
                       e.actor_id, e.action, e.subject_type, e.subject_id, e.payload_digest, e.digest_key_id
                FROM audit_seals s JOIN audit_events e ON e.id = s.event_id ORDER BY s.seq""")) {
            while (rs.next()) {
                seals.add(new Seal(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
                        new ChainEvent(rs.getLong(4), rs.getObject(5, OffsetDateTime.class).toInstant(),
                                rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(7), rs.getString(8),
                                rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getBytes(13),
                                rs.getString(14))));
            }
        }
        ChainCodec codec = new ChainCodec();
        byte[] prev = ChainCodec.GENESIS;
        try (PreparedStatement update = c.prepareStatement("UPDATE audit_seals SET prev_hash = ?, hash = ? WHERE seq = ?")) {
            for (Seal seal : seals) {
                byte[] hash = codec.hash(prev, seal.seq(), seal.sealedAt(), seal.sealedBy(), seal.event());
                update.setBytes(1, prev);
                update.setBytes(2, hash);
                update.setLong(3, seal.seq());
                update.executeUpdate();
                prev = hash;
            }
        }
    }
}
