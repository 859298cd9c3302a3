package vn.hotline.gateway.audit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.Anchor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditChain;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.ChainStatus;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.audit.VerificationProgress;
import vn.hotline.gateway.audit.VerificationReport;

/** The chain on PostgreSQL: sealing, anchoring to the directory (and the optional endpoint), status, verification. */
@Component
class R2dbcAuditChain implements AuditChain {

    static final Subject CHAIN = new Subject("audit-chain", "main");
    private static final Logger log = LoggerFactory.getLogger(R2dbcAuditChain.class);

    private final DatabaseClient db;
    private final ChainSealer sealer;
    private final ChainVerifier verifier;
    private final AnchorKeys keys;
    private final AnchorDirectory directory;
    private final AnchorHttpPublisher http;
    private final AuditLog audit;
    private final Clock clock;

    R2dbcAuditChain(DatabaseClient db, ChainSealer sealer, ChainVerifier verifier, AnchorKeys keys, AnchorDirectory directory,
                    AnchorHttpPublisher http, AuditLog audit, Clock clock) {
        this.db = db;
        this.sealer = sealer;
        this.verifier = verifier;
        this.keys = keys;
        this.directory = directory;
        this.http = http;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public Mono<Long> sealPending() {
        return sealer.sealPending();
    }

    @Override
    public Mono<Optional<Anchor>> anchorNow() {
        return sealer.head()
                .filter(head -> head.seq() > 0)
                .map(head -> keys.sign(head.seq(), head.hash(), clock.instant()))
                .flatMap(anchor -> Mono.fromRunnable(() -> directory.write(anchor))
                        .subscribeOn(Schedulers.boundedElastic())
                        .then(http.publish(anchor)
                                .onErrorResume(e -> {
                                    // The directory holds the anchor already; the endpoint gets the next one.
                                    log.warn("Audit anchor seq {} not delivered to the anchor endpoint: {}", anchor.seq(), e.toString());
                                    return Mono.empty();
                                }))
                        .thenReturn(Optional.of(anchor)))
                .defaultIfEmpty(Optional.empty());
    }

    @Override
    public Mono<ChainStatus> status() {
        // Unsealed = after the head in chain order: an index range scan, cheap enough to poll under load.
        return db.sql("""
                        SELECT h.seq AS head_seq, h.hash AS head_hash, u.unsealed, u.oldest
                        FROM (SELECT 1) AS one
                        LEFT JOIN LATERAL (
                            SELECT s.seq, s.hash, e.tx_id, e.id
                            FROM audit_seals s JOIN audit_events e ON e.id = s.event_id
                            ORDER BY s.seq DESC LIMIT 1) AS h ON true
                        CROSS JOIN LATERAL (
                            SELECT count(*) AS unsealed, min(e.recorded_at) AS oldest FROM audit_events e
                            WHERE (e.tx_id, e.id) > (COALESCE(h.tx_id, '0'::xid8), COALESCE(h.id, 0))) AS u""")
                .map(row -> {
                    Long seq = row.get("head_seq", Long.class);
                    byte[] hash = row.get("head_hash", byte[].class);
                    OffsetDateTime oldest = row.get("oldest", OffsetDateTime.class);
                    long lag = oldest == null ? 0 : Math.max(0, Duration.between(oldest.toInstant(), clock.instant()).toMillis());
                    return new ChainStatus(seq == null ? 0 : seq, hash == null ? "" : HexFormat.of().formatHex(hash),
                            row.get("unsealed", Long.class), lag);
                })
                .one();
    }

    @Override
    public Flux<VerificationProgress> verify(Actor requestedBy) {
        AtomicReference<VerificationReport> outcome = new AtomicReference<>();
        return verifier.verify()
                .doOnNext(progress -> {
                    if (progress.report() != null) {
                        outcome.set(progress.report());
                    }
                })
                .concatWith(Mono.defer(() -> record(requestedBy, outcome.get())).then(Mono.empty()));
    }

    private Mono<Void> record(Actor requestedBy, VerificationReport report) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("intact", report.intact());
        payload.put("checked", report.checked());
        payload.put("headSeq", report.headSeq());
        payload.put("headHash", report.headHash());
        payload.put("anchorsChecked", report.anchorsChecked());
        if (report.firstBreak() != null) {
            payload.put("problem", report.firstBreak().problem().name());
            payload.put("seq", String.valueOf(report.firstBreak().seq()));
            payload.put("eventId", String.valueOf(report.firstBreak().eventId()));
        }
        return audit.record(new AuditEntry(requestedBy, AuditAction.AUDIT_VERIFIED, CHAIN, payload));
    }
}
