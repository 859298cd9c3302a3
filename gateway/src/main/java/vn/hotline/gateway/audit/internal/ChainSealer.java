package vn.hotline.gateway.audit.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.AuditProperties;
import vn.hotline.gateway.lease.Leases;

/**
 * Appends seals for events whose transaction has ended, in (tx_id, id) order. Only events with
 * {@code tx_id < pg_snapshot_xmin(pg_current_snapshot())} are taken: every transaction below that horizon has
 * committed or aborted, and any transaction still running has a larger id, so no event can later appear before an
 * existing seal. Writers never wait for the sealer; the sealer never takes a lock they need.
 */
@Component
class ChainSealer {

    static final String LEASE = "audit-sealer";
    private static final HexFormat HEX = HexFormat.of();

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final Leases leases;
    private final Clock clock;
    private final AuditProperties.Sealer properties;

    ChainSealer(DatabaseClient db, TransactionalOperator tx, Leases leases, Clock clock, AuditProperties properties) {
        this.db = db;
        this.tx = tx;
        this.leases = leases;
        this.clock = clock;
        this.properties = properties.sealer();
    }

    /** The last seal, with the order key of its event. */
    record Head(long seq, byte[] hash, String txId, long eventId) {
        static final Head GENESIS = new Head(0, ChainCodec.GENESIS, "0", 0);
    }

    /** Takes or renews the lease, then seals batches until one comes back short; 0 when another node holds the lease. */
    Mono<Long> sealPending() {
        return leases.acquire(LEASE, properties.leaseTtl())
                .flatMap(held -> held ? sealBatches(0) : Mono.just(0L));
    }

    private Mono<Long> sealBatches(long sealedSoFar) {
        return sealBatch().flatMap(n -> n < properties.batchSize()
                ? Mono.just(sealedSoFar + n)
                : sealBatches(sealedSoFar + n));
    }

    /** One batch in one transaction, fenced by the lease so a node that lost it cannot commit seals. */
    private Mono<Integer> sealBatch() {
        return tx.transactional(leases.holdWithin(LEASE)
                .flatMap(held -> held ? head().flatMap(this::appendAfter) : Mono.just(0)));
    }

    Mono<Head> head() {
        return db.sql("""
                        SELECT s.seq, s.hash, e.tx_id::text AS tx_id, e.id
                        FROM audit_seals s JOIN audit_events e ON e.id = s.event_id
                        ORDER BY s.seq DESC LIMIT 1""")
                .map(row -> new Head(row.get("seq", Long.class), row.get("hash", byte[].class),
                        row.get("tx_id", String.class), row.get("id", Long.class)))
                .one()
                .defaultIfEmpty(Head.GENESIS);
    }

    private Mono<Integer> appendAfter(Head head) {
        return db.sql("""
                        WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
                        SELECT %s FROM audit_events e
                        WHERE (e.tx_id, e.id) > (CAST(:tx AS xid8), :id) AND e.tx_id < (SELECT xmin FROM horizon)
                        ORDER BY e.tx_id, e.id
                        LIMIT :limit""".formatted(ChainEvent.COLUMNS))
                .bind("tx", head.txId())
                .bind("id", head.eventId())
                .bind("limit", properties.batchSize())
                .map((row, meta) -> ChainEvent.from(row))
                .all()
                .collectList()
                .flatMap(events -> events.isEmpty() ? Mono.just(0) : insert(head, events));
    }

    private Mono<Integer> insert(Head head, List<ChainEvent> events) {
        Instant sealedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String node = leases.nodeId();
        ChainCodec codec = new ChainCodec();
        int n = events.size();
        Long[] seqs = new Long[n];
        Long[] eventIds = new Long[n];
        String[] prevs = new String[n];
        String[] hashes = new String[n];
        byte[] prev = head.hash();
        for (int i = 0; i < n; i++) {
            long seq = head.seq() + i + 1;
            byte[] hash = codec.hash(prev, seq, sealedAt, node, events.get(i));
            seqs[i] = seq;
            eventIds[i] = events.get(i).id();
            prevs[i] = HEX.formatHex(prev);
            hashes[i] = HEX.formatHex(hash);
            prev = hash;
        }
        return db.sql("""
                        INSERT INTO audit_seals (seq, event_id, prev_hash, hash, sealed_at, sealed_by)
                        SELECT s.seq, s.event_id, decode(s.prev, 'hex'), decode(s.hash, 'hex'), :sealedAt, :node
                        FROM unnest(CAST(:seqs AS bigint[]), CAST(:events AS bigint[]), CAST(:prevs AS text[]), CAST(:hashes AS text[]))
                            AS s(seq, event_id, prev, hash)""")
                .bind("sealedAt", sealedAt.atOffset(ZoneOffset.UTC))
                .bind("node", node)
                .bind("seqs", seqs)
                .bind("events", eventIds)
                .bind("prevs", prevs)
                .bind("hashes", hashes)
                .fetch().rowsUpdated()
                .map(Long::intValue);
    }
}
