package vn.hotline.gateway.channel.asterisk.internal;

import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.channel.asterisk.AmiProperties;
import vn.hotline.gateway.lease.Leases;

/**
 * The SQL of the AMI call log: each event kept once (under the lease's fence, so a node that lost the lease writes
 * nothing), then the call's AMI summary recomputed from all its events, and calls whose events never came marked
 * incomplete.
 */
@Component
class AmiEventStore {

    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() { };

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final AuditLog audit;
    private final JsonMapper json;
    private final AmiCallBacks callBacks;
    private final AmiProperties properties;

    AmiEventStore(DatabaseClient db, TransactionalOperator tx, AuditLog audit, JsonMapper json,
            AmiCallBacks callBacks, AmiProperties properties) {
        this.db = db;
        this.tx = tx;
        this.audit = audit;
        this.json = json;
        this.callBacks = callBacks;
        this.properties = properties;
    }

    /** What handling one event led to. */
    record Handled(boolean held, boolean inserted, Optional<UUID> childToDial) {
    }

    /**
     * Keeps the event once and brings its call (and call-back) up to date, in one transaction fenced by the lease: when
     * this node ({@code leases}) no longer holds {@code lease}, nothing is written and {@code held} is false.
     */
    Mono<Handled> record(Leases leases, String lease, UUID session, AmiEvent event, Instant receivedAt) {
        return tx.transactional(leases.holdWithin(lease).flatMap(held -> {
            if (!held) {
                return Mono.just(new Handled(false, false, Optional.empty()));
            }
            return insert(session, event, receivedAt).flatMap(inserted -> {
                if (!inserted) {
                    return Mono.just(new Handled(true, false, Optional.empty()));
                }
                Mono<Void> refresh = event.linkedid() == null ? Mono.empty() : refresh(event.asterisk(), event.linkedid());
                return refresh.then(callBacks.apply(event, receivedAt))
                        .map(child -> new Handled(true, true, child))
                        .defaultIfEmpty(new Handled(true, true, Optional.empty()));
            });
        }));
    }

    private Mono<Boolean> insert(UUID session, AmiEvent e, Instant receivedAt) {
        GenericExecuteSpec spec = db.sql("""
                        INSERT INTO ami_events (asterisk, event_key, session_id, event, uniqueid, linkedid, event_at, received_at, fields)
                        VALUES (:asterisk, :key, :session, :event, :uniqueid, :linkedid, :at, :received, :fields)
                        ON CONFLICT (asterisk, event_key) DO NOTHING""")
                .bind("asterisk", e.asterisk()).bind("key", e.key()).bind("session", session).bind("event", e.name())
                .bind("at", CallStore.utc(e.at())).bind("received", CallStore.utc(receivedAt))
                .bind("fields", Json.of(json.writeValueAsString(e.fields())));
        spec = e.uniqueid() == null ? spec.bindNull("uniqueid", String.class) : spec.bind("uniqueid", e.uniqueid());
        spec = e.linkedid() == null ? spec.bindNull("linkedid", String.class) : spec.bind("linkedid", e.linkedid());
        return spec.fetch().rowsUpdated().map(n -> n == 1);
    }

    /**
     * Recomputes what AMI says about the FastAGI call {@code <asterisk>/<linkedid>}, if there is one. The hang-up's
     * time is the call's end. A call that hung up while no IVR script had written its end (its server died mid-menu,
     * and the dialplan's fallback took the caller) is reconciled as FALLBACK; a script still alive overwrites that
     * with what it saw.
     */
    Mono<Void> refresh(String asterisk, String linkedid) {
        return db.sql("SELECT id, ami_state FROM calls WHERE provider = :provider AND provider_call_id = :key FOR UPDATE")
                .bind("provider", CallStore.PROVIDER).bind("key", asterisk + "/" + linkedid)
                .map(r -> new Object[] {r.get("id", UUID.class), r.get("ami_state", String.class)})
                .one()
                .flatMap(row -> {
                    UUID callId = (UUID) row[0];
                    String before = (String) row[1];
                    return db.sql("UPDATE ami_events SET call_id = :call WHERE asterisk = :asterisk AND linkedid = :linked AND call_id IS NULL")
                            .bind("call", callId).bind("asterisk", asterisk).bind("linked", linkedid)
                            .then()
                            .then(events(asterisk, linkedid).collectList())
                            .map(events -> AmiCallFold.fold(linkedid, events))
                            .flatMap(summary -> apply(callId, before, summary));
                });
    }

    private Flux<AmiCallFold.Stored> events(String asterisk, String linkedid) {
        return db.sql("""
                        SELECT session_id, event, uniqueid, linkedid, event_at, fields::text AS fields FROM ami_events
                        WHERE asterisk = :asterisk AND linkedid = :linked ORDER BY event_at, id""")
                .bind("asterisk", asterisk).bind("linked", linkedid)
                .map(r -> new AmiCallFold.Stored(r.get("session_id", UUID.class), new AmiEvent(asterisk,
                        r.get("event", String.class), r.get("uniqueid", String.class), r.get("linkedid", String.class),
                        r.get("event_at", OffsetDateTime.class).toInstant(),
                        json.readValue(r.get("fields", String.class), FIELDS))))
                .all();
    }

    private Mono<Void> apply(UUID callId, String before, AmiCallFold.Summary s) {
        GenericExecuteSpec update = db.sql("""
                        UPDATE calls SET ami_state = :state, incomplete = (:state = 'INCOMPLETE'), hangup_cause = :cause,
                               hangup_cause_text = :causeText, bridged_at = :bridged, talk_ms = :talk,
                               answered_by_channel = :by, ended_at = COALESCE(:hangupAt, ended_at),
                               outcome = CASE WHEN outcome IS NULL AND :state = 'COMPLETE' THEN 'FALLBACK' ELSE outcome END
                        WHERE id = :id""")
                .bind("state", s.state()).bind("id", callId);
        update = bind(update, "cause", s.hangupCause(), Integer.class);
        update = bind(update, "causeText", s.hangupCauseText(), String.class);
        update = bind(update, "bridged", s.bridgedAt().map(CallStore::utc), OffsetDateTime.class);
        update = bind(update, "talk", s.talkMs(), Long.class);
        update = bind(update, "by", s.answeredBy(), String.class);
        update = bind(update, "hangupAt", s.hangupAt().map(CallStore::utc), OffsetDateTime.class);
        Flux<Void> dials = Flux.range(0, s.dials().size()).concatMap(i -> {
            AmiCallFold.Dial d = s.dials().get(i);
            GenericExecuteSpec spec = db.sql("""
                            UPDATE call_dial_attempts SET ami_dial_status = :status, ami_began_at = :began, ami_ended_at = :ended
                            WHERE call_id = :call AND step = :step""")
                    .bind("call", callId).bind("step", i + 1);
            spec = bind(spec, "status", d.status(), String.class);
            spec = bind(spec, "began", d.beganAt().map(CallStore::utc), OffsetDateTime.class);
            spec = bind(spec, "ended", d.endedAt().map(CallStore::utc), OffsetDateTime.class);
            return spec.then();
        });
        boolean settled = !"OPEN".equals(s.state()) && !s.state().equals(before);
        Mono<Void> audited = !settled ? Mono.empty() : audit.record(new AuditEntry(Actor.provider(CallStore.PROVIDER),
                AuditAction.CALL_RECORD_COMPLETED, new Subject("call", callId.toString()), summaryPayload(s)));
        return update.then().thenMany(dials).then(audited);
    }

    private static Map<String, Object> summaryPayload(AmiCallFold.Summary s) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("amiState", s.state());
        s.hangupCause().ifPresent(c -> payload.put("hangupCause", c));
        s.talkMs().ifPresent(t -> payload.put("talkMs", t));
        payload.put("dials", s.dials().stream().map(d -> d.status().orElse("")).toList());
        return payload;
    }

    /**
     * Marks the FastAGI calls of this Asterisk whose AMI hang-up never came: the IVR ended longer than the completion
     * grace ago, or the call is older than the longest call. Nothing about them is guessed.
     */
    Mono<Long> markIncomplete(Leases leases, String lease, String asterisk, Instant now) {
        return tx.transactional(leases.holdWithin(lease).flatMap(held -> !held ? Mono.just(0L) : db.sql("""
                        UPDATE calls SET ami_state = 'INCOMPLETE', incomplete = true
                        WHERE provider = :provider AND provider_call_id LIKE :prefix
                          AND (ami_state IS NULL OR ami_state = 'OPEN')
                          AND ((ended_at IS NOT NULL AND ended_at < :graceBefore) OR started_at < :longestBefore)
                        RETURNING id""")
                .bind("provider", CallStore.PROVIDER).bind("prefix", asterisk.replace("_", "\\_").replace("%", "\\%") + "/%")
                .bind("graceBefore", CallStore.utc(now.minus(properties.completionGrace())))
                .bind("longestBefore", CallStore.utc(now.minus(properties.longestCall())))
                .map(r -> r.get("id", UUID.class))
                .all()
                .concatMap(id -> audit.record(new AuditEntry(Actor.provider(CallStore.PROVIDER), AuditAction.CALL_RECORD_COMPLETED,
                        new Subject("call", id.toString()), Map.of("amiState", "INCOMPLETE", "reason", "no AMI hang-up"))).thenReturn(id))
                .count()));
    }

    static <T> GenericExecuteSpec bind(GenericExecuteSpec spec, String name, Optional<? extends T> value, Class<T> type) {
        return value.isPresent() ? spec.bind(name, value.get()) : spec.bindNull(name, type);
    }
}
