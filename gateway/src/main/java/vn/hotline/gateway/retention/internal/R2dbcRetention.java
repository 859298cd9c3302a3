package vn.hotline.gateway.retention.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.retention.DataClass;
import vn.hotline.gateway.retention.Retention;
import vn.hotline.gateway.retention.RetentionProperties;
import vn.hotline.gateway.retention.RetentionReport;

/**
 * Retention on the tables that exist. A call's identity goes (number hash and ciphertext, IVR session state) while
 * its channel, times, path and outcome stay for statistics; a case's notes go while its events stay. A legal hold on
 * the case keeps both. Audit events are never touched.
 */
@Component
class R2dbcRetention implements Retention {

    private static final Subject SUBJECT = new Subject("retention", "personal-data");

    /** Calls past the cutoff, not yet anonymised, split by whether a case of theirs is on hold. */
    private static final String CALLS = """
            FROM calls c WHERE c.started_at < :cutoff AND c.anonymised_at IS NULL
              AND %s EXISTS (SELECT 1 FROM cases k WHERE k.call_id = c.id AND k.legal_hold)""";
    /** Notes of cases unchanged since the cutoff, split by hold. */
    private static final String NOTES = """
            FROM case_events ev JOIN cases k ON k.id = ev.case_id
            WHERE ev.note_cipher IS NOT NULL AND k.updated_at < :cutoff AND %s k.legal_hold""";
    /** Free-text locations (SMS) of cases unchanged since the cutoff: case details, kept as long as notes. */
    private static final String LOCATIONS = """
            FROM cases k WHERE k.location_hint_cipher IS NOT NULL AND k.updated_at < :cutoff AND %s k.legal_hold""";

    /** Replayable answers older than the cutoff: no provider retries a webhook or redelivers an SMS that late. */
    private static final List<String> REPLAY_TABLES = List.of("twilio_replies", "sms_replies");

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final AuditLog audit;
    private final Clock clock;
    private final ZoneId zone;
    private final RetentionProperties properties;

    R2dbcRetention(DatabaseClient db, TransactionalOperator tx, AuditLog audit, Clock clock, ZoneId businessZone,
                   RetentionProperties properties) {
        this.db = db;
        this.tx = tx;
        this.audit = audit;
        this.clock = clock;
        this.zone = businessZone;
        this.properties = properties;
    }

    @Override
    public Mono<RetentionReport> dryRun(Actor requestedBy) {
        return survey(clock.instant()).flatMap(report -> record(requestedBy, report));
    }

    @Override
    public Mono<RetentionReport> apply(Actor requestedBy) {
        Instant now = clock.instant();
        return survey(now)
                .flatMap(before -> Mono.zip(
                                anonymiseCalls(line(before, DataClass.CALL_METADATA).cutoff(), now, 0),
                                Mono.defer(() -> eraseNotes(line(before, DataClass.CASE_NOTES).cutoff(), 0)
                                        .flatMap(notes -> eraseLocations(line(before, DataClass.CASE_NOTES).cutoff())
                                                .map(locations -> notes + locations))),
                                Mono.defer(() -> deleteReplies(line(before, DataClass.REPLAY_CACHE).cutoff())))
                        .map(done -> new RetentionReport(true, now, before.classes().stream()
                                .map(line -> new RetentionReport.Line(line.dataClass(), line.cutoff(), line.due(), line.held(),
                                        anonymised(line.dataClass(), done.getT1(), done.getT2(), done.getT3())))
                                .toList())))
                .flatMap(report -> record(requestedBy, report));
    }

    private static long anonymised(DataClass dataClass, long calls, long notes, long replies) {
        switch (dataClass) {
            case CALL_METADATA:
                return calls;
            case CASE_NOTES:
                return notes;
            case REPLAY_CACHE:
                return replies;
            default:
                return 0;
        }
    }

    private static RetentionReport.Line line(RetentionReport report, DataClass dataClass) {
        return report.classes().stream().filter(l -> l.dataClass() == dataClass).findFirst().orElseThrow();
    }

    /** What is due per class, changing nothing. */
    private Mono<RetentionReport> survey(Instant now) {
        Instant calls = cutoff(now, properties.callMetadata());
        Instant notes = cutoff(now, properties.caseNotes());
        Instant recordings = cutoff(now, properties.recordings());
        Instant replies = cutoff(now, properties.replayCache());
        return Mono.zip(count(CALLS.formatted("NOT"), calls), count(CALLS.formatted(""), calls),
                        count(NOTES.formatted("NOT"), notes).zipWith(count(LOCATIONS.formatted("NOT"), notes), Long::sum),
                        count(NOTES.formatted(""), notes).zipWith(count(LOCATIONS.formatted(""), notes), Long::sum),
                        countReplies(replies))
                .map(t -> new RetentionReport(false, now, List.of(
                        new RetentionReport.Line(DataClass.CALL_METADATA, calls, t.getT1(), t.getT2(), 0),
                        new RetentionReport.Line(DataClass.CASE_NOTES, notes, t.getT3(), t.getT4(), 0),
                        new RetentionReport.Line(DataClass.RECORDINGS, recordings, 0, 0, 0),
                        new RetentionReport.Line(DataClass.REPLAY_CACHE, replies, t.getT5(), 0, 0),
                        new RetentionReport.Line(DataClass.AUDIT_EVENTS, null, 0, 0, 0))));
    }

    private Mono<Long> count(String from, Instant cutoff) {
        return db.sql("SELECT count(*) " + from).bind("cutoff", utc(cutoff)).map(r -> r.get(0, Long.class)).one();
    }

    /** One batch per transaction until none is left; rows other transactions hold wait for the next run. */
    private Mono<Long> anonymiseCalls(Instant cutoff, Instant now, long soFar) {
        return tx.transactional(db.sql("""
                                WITH due AS (
                                    SELECT c.id %s ORDER BY c.started_at LIMIT :batch FOR UPDATE OF c SKIP LOCKED),
                                sessions AS (
                                    UPDATE ivr_sessions s SET state = '{}'::jsonb WHERE s.call_id IN (SELECT id FROM due))
                                UPDATE calls c
                                SET caller_kind = CASE WHEN c.caller_kind = 'NUMBER' THEN 'ERASED' ELSE c.caller_kind END,
                                    caller_hash = NULL, caller_cipher = NULL, caller_key_id = NULL, anonymised_at = :now
                                FROM due WHERE c.id = due.id""".formatted(CALLS.formatted("NOT")))
                        .bind("cutoff", utc(cutoff))
                        .bind("batch", properties.batchSize())
                        .bind("now", utc(now))
                        .fetch().rowsUpdated())
                .flatMap(n -> n == 0 ? Mono.just(soFar) : anonymiseCalls(cutoff, now, soFar + n));
    }

    private Mono<Long> eraseNotes(Instant cutoff, long soFar) {
        return tx.transactional(db.sql("""
                                UPDATE case_events SET note_cipher = NULL, note_key_id = NULL
                                WHERE id IN (SELECT ev.id %s ORDER BY ev.id LIMIT :batch FOR UPDATE OF ev SKIP LOCKED)"""
                                .formatted(NOTES.formatted("NOT")))
                        .bind("cutoff", utc(cutoff))
                        .bind("batch", properties.batchSize())
                        .fetch().rowsUpdated())
                .flatMap(n -> n == 0 ? Mono.just(soFar) : eraseNotes(cutoff, soFar + n));
    }

    private Mono<Long> eraseLocations(Instant cutoff) {
        return tx.transactional(db.sql("UPDATE cases k SET location_hint_cipher = NULL, location_hint_key_id = NULL "
                        + LOCATIONS.formatted("NOT").replaceFirst("FROM cases k WHERE", "WHERE"))
                .bind("cutoff", utc(cutoff))
                .fetch().rowsUpdated());
    }

    private Mono<Long> countReplies(Instant cutoff) {
        return Flux.fromIterable(REPLAY_TABLES)
                .concatMap(table -> count("FROM " + table + " WHERE created_at < :cutoff", cutoff))
                .reduce(0L, Long::sum);
    }

    /** Deletes replayable answers past the cutoff, in batches of short transactions. */
    private Mono<Long> deleteReplies(Instant cutoff) {
        return Flux.fromIterable(REPLAY_TABLES).concatMap(table -> deleteReplies(table, cutoff, 0)).reduce(0L, Long::sum);
    }

    private Mono<Long> deleteReplies(String table, Instant cutoff, long soFar) {
        return tx.transactional(db.sql("""
                                DELETE FROM %1$s WHERE ctid IN (
                                    SELECT ctid FROM %1$s WHERE created_at < :cutoff LIMIT :batch)"""
                                .formatted(table))
                        .bind("cutoff", utc(cutoff))
                        .bind("batch", properties.batchSize())
                        .fetch().rowsUpdated())
                .flatMap(n -> n == 0 ? Mono.just(soFar) : deleteReplies(table, cutoff, soFar + n));
    }

    private Mono<RetentionReport> record(Actor requestedBy, RetentionReport report) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("applied", report.applied());
        for (RetentionReport.Line line : report.classes()) {
            payload.put(line.dataClass().name(), Map.of("due", line.due(), "held", line.held(), "anonymised", line.anonymised(),
                    "cutoff", String.valueOf(line.cutoff())));
        }
        return audit.record(new AuditEntry(requestedBy, AuditAction.RETENTION_RUN, SUBJECT, payload)).thenReturn(report);
    }

    /** Periods count in the business zone: "two years" ends on the same local date, whatever the offset did. */
    private Instant cutoff(Instant now, Period period) {
        return now.atZone(zone).minus(period).toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
