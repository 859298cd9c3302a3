package vn.hotline.gateway.audit.internal;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import vn.hotline.gateway.audit.Anchor;
import vn.hotline.gateway.audit.AuditProperties;
import vn.hotline.gateway.audit.ChainBreak;
import vn.hotline.gateway.audit.ChainProblem;
import vn.hotline.gateway.audit.VerificationProgress;
import vn.hotline.gateway.audit.VerificationReport;

/**
 * Recomputes the chain from seq 1 in one read-only snapshot, streaming seals with their events, and checks it against
 * every anchor: a chain rewritten consistently inside the database still disagrees with the signed heads outside it.
 * Stops at the first broken entry.
 */
@Component
class ChainVerifier {

    private static final HexFormat HEX = HexFormat.of();

    private final DatabaseClient db;
    private final TransactionalOperator snapshot;
    private final AnchorDirectory anchors;
    private final AnchorKeys keys;
    private final AuditProperties.Verification properties;

    ChainVerifier(DatabaseClient db, ReactiveTransactionManager transactions, AnchorDirectory anchors, AnchorKeys keys,
                  AuditProperties properties) {
        this.db = db;
        DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
        definition.setReadOnly(true);
        definition.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot = TransactionalOperator.create(transactions, definition);
        this.anchors = anchors;
        this.keys = keys;
        this.properties = properties.verification();
    }

    Flux<VerificationProgress> verify() {
        return Mono.fromCallable(anchors::readAll)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(list -> snapshot.transactional(Flux.defer(() -> walk(list))));
    }

    private Flux<VerificationProgress> walk(List<Anchor> anchorList) {
        Walk walk = new Walk();
        for (Anchor anchor : anchorList) {
            if (!keys.verifies(anchor)) {
                walk.fail(anchor.seq(), null, ChainProblem.ANCHOR_SIGNATURE_INVALID);
                return Flux.just(new VerificationProgress(0, 0, walk.report(0)));
            }
            walk.anchors.put(anchor.seq(), anchor);
        }
        int every = properties.progressEvery();
        return db.sql("SELECT count(*) AS n FROM audit_seals").map(row -> row.get("n", Long.class)).one()
                .flatMapMany(total -> db.sql("""
                                SELECT s.seq, s.event_id AS sealed_event_id, s.prev_hash, s.hash, s.sealed_at, s.sealed_by, %s
                                FROM audit_seals s LEFT JOIN audit_events e ON e.id = s.event_id
                                ORDER BY s.seq""".formatted(ChainEvent.COLUMNS))
                        .filter(statement -> statement.fetchSize(properties.fetchSize()))
                        .map((row, meta) -> new SealRow(row.get("seq", Long.class), row.get("sealed_event_id", Long.class),
                                row.get("prev_hash", byte[].class), row.get("hash", byte[].class),
                                row.get("sealed_at", OffsetDateTime.class), row.get("sealed_by", String.class),
                                row.get("id", Long.class) == null ? null : ChainEvent.from(row)))
                        .all()
                        .<VerificationProgress>handle((row, sink) -> {
                            walk.accept(row);
                            if (walk.broken != null) {
                                sink.complete();
                            } else if (walk.checked % every == 0) {
                                sink.next(new VerificationProgress(walk.checked, total, null));
                            }
                        })
                        .concatWith(Mono.defer(() -> finish(walk, total))));
    }

    /** After the last seal: anchors past the head mean the chain was cut; unsealed events before the head were slipped in. */
    private Mono<VerificationProgress> finish(Walk walk, long total) {
        if (walk.broken == null) {
            Map.Entry<Long, Anchor> beyond = walk.anchors.higherEntry(walk.expectedSeq - 1);
            if (beyond != null) {
                walk.fail(beyond.getKey(), null, ChainProblem.ANCHOR_BEYOND_HEAD);
            }
        }
        if (walk.broken != null || walk.lastEvent == null) {
            return Mono.just(new VerificationProgress(walk.checked, total, walk.report(total)));
        }
        return db.sql("""
                        SELECT e.id FROM audit_events e
                        WHERE (e.tx_id, e.id) < (CAST(:tx AS xid8), :id)
                          AND NOT EXISTS (SELECT 1 FROM audit_seals s WHERE s.event_id = e.id)
                        ORDER BY e.tx_id, e.id LIMIT 1""")
                .bind("tx", walk.lastEvent.txId())
                .bind("id", walk.lastEvent.id())
                .map(row -> row.get("id", Long.class))
                .one()
                .doOnNext(eventId -> walk.fail(null, eventId, ChainProblem.EVENT_NOT_SEALED))
                .then(Mono.fromSupplier(() -> new VerificationProgress(walk.checked, total, walk.report(total))));
    }

    /** A seal row with its event, or a null event when the event is gone. */
    private record SealRow(long seq, long eventId, byte[] prevHash, byte[] hash, OffsetDateTime sealedAt, String sealedBy,
                           ChainEvent event) {
    }

    /** The running state of one verification. */
    private static final class Walk {
        final ChainCodec codec = new ChainCodec();
        final TreeMap<Long, Anchor> anchors = new TreeMap<>();
        long expectedSeq = 1;
        long checked;
        byte[] prev = ChainCodec.GENESIS;
        ChainEvent lastEvent;
        int anchorsChecked;
        ChainBreak broken;

        void accept(SealRow row) {
            if (row.seq() != expectedSeq) {
                fail(expectedSeq, null, ChainProblem.SEQUENCE_GAP);
                return;
            }
            if (row.event() == null) {
                fail(row.seq(), row.eventId(), ChainProblem.EVENT_MISSING);
                return;
            }
            if (!Arrays.equals(row.prevHash(), prev)) {
                fail(row.seq(), row.eventId(), ChainProblem.PREV_HASH_MISMATCH);
                return;
            }
            byte[] recomputed = codec.hash(prev, row.seq(), row.sealedAt().toInstant(), row.sealedBy(), row.event());
            if (!Arrays.equals(recomputed, row.hash())) {
                fail(row.seq(), row.eventId(), ChainProblem.HASH_MISMATCH);
                return;
            }
            Anchor anchor = anchors.get(row.seq());
            if (anchor != null) {
                if (!anchor.hash().equalsIgnoreCase(HEX.formatHex(row.hash()))) {
                    fail(row.seq(), row.eventId(), ChainProblem.ANCHOR_MISMATCH);
                    return;
                }
                anchorsChecked++;
            }
            prev = recomputed;
            lastEvent = row.event();
            expectedSeq++;
            checked++;
        }

        void fail(Long seq, Long eventId, ChainProblem problem) {
            if (broken == null) {
                broken = new ChainBreak(seq, eventId, problem);
            }
        }

        VerificationReport report(long total) {
            long headSeq = expectedSeq - 1;
            String headHash = headSeq == 0 ? "" : HEX.formatHex(prev);
            return new VerificationReport(broken == null, checked, total, headSeq, headHash, anchorsChecked, broken);
        }
    }
}
