package vn.hotline.gateway.calllog;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import vn.hotline.routing.csv.Csv;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditChain;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.AuditTrail;
import vn.hotline.gateway.audit.AuditTrailEntry;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.cases.CaseProblem;

/**
 * The call and referral log supervisors review: filtered lists, one call with everything that happened to it, and a
 * CSV export stamped with the audit chain's head hash. Callers appear masked; every read and export is audited.
 */
@Service
public class CallLog {

    private static final int TRAIL_LIMIT = 500;
    private static final String CALLS = """
            SELECT c.id, c.channel, c.provider, c.caller_kind, c.caller_masked, c.started_at, c.answered_at, c.ended_at,
                   c.ivr_path, c.outcome, c.abandoned_at_node, k.reference, k.category, k.urgency, k.service_area_code,
                   u.code AS unit_code, o.display_name AS assigned_officer, a.display_name AS accepted_by
            FROM calls c
            LEFT JOIN cases k ON k.call_id = c.id
            LEFT JOIN admin_units u ON u.id = k.admin_unit_id
            LEFT JOIN officers o ON o.id = k.assigned_officer_id
            LEFT JOIN officers a ON a.id = c.accepted_by_officer_id
            """;

    private final DatabaseClient db;
    private final AuditLog audit;
    private final AuditTrail trail;
    private final AuditChain chain;
    private final JsonMapper json;
    private final PersonalData personalData;
    private final ZoneId zone;

    CallLog(DatabaseClient db, AuditLog audit, AuditTrail trail, AuditChain chain, JsonMapper json, ZoneId businessZone,
            PersonalData personalData) {
        this.personalData = personalData;
        this.db = db;
        this.audit = audit;
        this.trail = trail;
        this.chain = chain;
        this.json = json;
        this.zone = businessZone;
    }

    /** Calls matching the filter, newest first; the search itself is audited. */
    public Flux<CallEntry> calls(CallLogQuery query, String reader) {
        return audit.record(new AuditEntry(Actor.user(reader), AuditAction.CALL_LOG_READ, new Subject("call-log", "search"),
                        describe(query)))
                .thenMany(callsUnaudited(query));
    }

    private Flux<CallEntry> callsUnaudited(CallLogQuery query) {
        // Training calls from the console are not calls anyone made: never in the log.
        List<String> where = new ArrayList<>(List.of("c.started_at >= :from", "c.started_at < :to", "c.provider <> 'training'"));
        query.channel().ifPresent(v -> where.add("c.channel = :channel"));
        query.outcome().ifPresent(v -> where.add("c.outcome = :outcome"));
        query.serviceArea().ifPresent(v -> where.add("k.service_area_code = :area"));
        query.unit().ifPresent(v -> where.add("u.code = :unit"));
        query.category().ifPresent(v -> where.add("k.category = :category"));
        query.officer().ifPresent(v -> where.add("(k.assigned_officer_id = :officer OR c.accepted_by_officer_id = :officer)"));
        GenericExecuteSpec spec = db.sql(CALLS + " WHERE " + String.join(" AND ", where) + " ORDER BY c.started_at DESC LIMIT :limit")
                .bind("from", utc(query.from())).bind("to", utc(query.to())).bind("limit", query.limit());
        if (query.channel().isPresent()) {
            spec = spec.bind("channel", query.channel().get());
        }
        if (query.outcome().isPresent()) {
            spec = spec.bind("outcome", query.outcome().get());
        }
        if (query.serviceArea().isPresent()) {
            spec = spec.bind("area", query.serviceArea().get());
        }
        if (query.unit().isPresent()) {
            spec = spec.bind("unit", query.unit().get());
        }
        if (query.category().isPresent()) {
            spec = spec.bind("category", query.category().get());
        }
        if (query.officer().isPresent()) {
            spec = spec.bind("officer", query.officer().get());
        }
        return spec.map(CallLog::entry).all();
    }

    /** One call with its case, routing explanation, dial attempts, referrals, notifications and audit trail. */
    public Mono<CallDetail> call(UUID id, String reader) {
        Actor actor = Actor.user(reader);
        return db.sql(CALLS + " WHERE c.id = :id").bind("id", id).map(CallLog::entry).one()
                .switchIfEmpty(Mono.error(new CaseProblem(org.springframework.http.HttpStatus.NOT_FOUND, "call-not-found", "No call " + id)))
                .flatMap(entry -> audit.record(new AuditEntry(actor, AuditAction.CALL_READ, new Subject("call", id.toString()), Map.of()))
                        .then(Mono.zip(routing(id), attempts(id).collectList(), referralsOf(entry).collectList(),
                                notifications(entry).collectList(), trailOf(entry, actor), timeline(entry)))
                        .map(t -> new CallDetail(entry, t.getT1(), t.getT2(), t.getT3(), t.getT4(), t.getT5(), t.getT6())));
    }

    /**
     * The call that opened a case, for the case's own page: the call, its routing, dial attempts and timeline, without the
     * audit trail or notifications (a supervisor's view). Empty when the case came from no call; the read is audited.
     * The caller must already be allowed to see the case.
     */
    public Mono<CallDetail> callOfCase(String caseReference, String reader) {
        return db.sql(CALLS + " WHERE k.reference = :ref").bind("ref", caseReference).map(CallLog::entry).one()
                .flatMap(entry -> audit.record(new AuditEntry(Actor.user(reader), AuditAction.CALL_READ,
                                new Subject("call", entry.id().toString()), Map.of("case", caseReference)))
                        .then(Mono.zip(routing(entry.id()), attempts(entry.id()).collectList(), timeline(entry)))
                        .map(t -> new CallDetail(entry, t.getT1(), t.getT2(), List.of(), List.of(), List.of(), t.getT3())));
    }

    /** Referrals created in the range, optionally for one area or target; the search is audited. */
    public Flux<ReferralEntry> referrals(Instant from, Instant to, Optional<String> serviceArea, Optional<String> target,
                                         int limit, String reader) {
        String sql = """
                SELECT k.reference, r.target, r.state, r.reason, r.reason_cipher, r.reason_key_id, r.created_by, r.created_at, r.updated_at, r.external_ref,
                       k.service_area_code, k.category
                FROM referrals r JOIN cases k ON k.id = r.case_id
                WHERE r.created_at >= :from AND r.created_at < :to
                """ + (serviceArea.isPresent() ? " AND k.service_area_code = :area" : "")
                + (target.isPresent() ? " AND r.target = :target" : "")
                + " ORDER BY r.created_at DESC LIMIT :limit";
        GenericExecuteSpec spec = db.sql(sql).bind("from", utc(from)).bind("to", utc(to)).bind("limit", limit);
        if (serviceArea.isPresent()) {
            spec = spec.bind("area", serviceArea.get());
        }
        if (target.isPresent()) {
            spec = spec.bind("target", target.get());
        }
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("from", from.toString());
        filter.put("to", to.toString());
        serviceArea.ifPresent(v -> filter.put("serviceArea", v));
        target.ifPresent(v -> filter.put("target", v));
        return audit.record(new AuditEntry(Actor.user(reader), AuditAction.CALL_LOG_READ, new Subject("referral-log", "search"), filter))
                .thenMany(spec.map(this::referral).all());
    }

    /**
     * The filtered calls as CSV (UTF-8, times in the business zone), its first line naming the audit chain head it
     * was taken at so the export can be checked against the chain later. The export is audited with that head.
     */
    public Mono<String> exportCsv(CallLogQuery query, String reader) {
        return chain.status().flatMap(head -> callsUnaudited(query).collectList().flatMap(calls -> {
            Map<String, Object> payload = describe(query);
            payload.put("rows", calls.size());
            payload.put("headSeq", head.headSeq());
            payload.put("headHash", head.headHash());
            return audit.record(new AuditEntry(Actor.user(reader), AuditAction.EXPORT_CREATED, new Subject("call-log", "export"), payload))
                    .thenReturn(csv(calls, head.headSeq(), head.headHash()));
        }));
    }

    private String csv(List<CallEntry> calls, long headSeq, String headHash) {
        DateTimeFormatter local = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(zone);
        StringBuilder out = new StringBuilder("# audit head seq=").append(headSeq).append(" hash=").append(headHash).append('\n');
        out.append(Csv.line("call_id", "channel", "caller", "started_at", "answered_at", "ended_at", "outcome",
                "abandoned_at", "case", "category", "urgency", "service_area", "unit", "assigned_officer", "accepted_by", "ivr_path")).append('\n');
        for (CallEntry c : calls) {
            out.append(Csv.line(c.id(), c.channel(), c.callerMasked().orElse(c.callerKind()), local.format(c.startedAt()),
                    c.answeredAt().map(local::format).orElse(""), c.endedAt().map(local::format).orElse(""),
                    c.outcome().orElse(""), c.abandonedAtNode().orElse(""), c.caseReference().orElse(""),
                    c.category().orElse(""), c.urgency().orElse(""), c.serviceArea().orElse(""), c.unitCode().orElse(""),
                    c.assignedOfficer().orElse(""), c.acceptedBy().orElse(""), String.join(">", c.ivrPath()))).append('\n');
        }
        return out.toString();
    }

    private Mono<Map<String, Object>> routing(UUID callId) {
        return db.sql("SELECT r.decision::text FROM case_routing r JOIN cases k ON k.id = r.case_id WHERE k.call_id = :id")
                .bind("id", callId)
                .map(row -> json.readValue(row.get(0, String.class), new TypeReference<Map<String, Object>>() { }))
                .one()
                .defaultIfEmpty(Map.of());
    }

    private Flux<DialAttempt> attempts(UUID callId) {
        return db.sql("""
                        SELECT d.step, d.rung_kind, o.display_name, d.ring_seconds, d.planned_at, d.dial_status, d.accepted, d.ended_at,
                               d.ami_dial_status,
                               (extract(epoch FROM d.ami_ended_at - d.ami_began_at) * 1000)::bigint AS ami_ring_ms
                        FROM call_dial_attempts d LEFT JOIN officers o ON o.id = d.officer_id
                        WHERE d.call_id = :id ORDER BY d.step""")
                .bind("id", callId)
                .map(row -> new DialAttempt(row.get("step", Integer.class), row.get("rung_kind", String.class),
                        opt(row, "display_name"), row.get("ring_seconds", Integer.class), instant(row, "planned_at"),
                        opt(row, "dial_status"), Optional.ofNullable(row.get("accepted", Boolean.class)), optInstant(row, "ended_at"),
                        opt(row, "ami_dial_status"), Optional.ofNullable(row.get("ami_ring_ms", Long.class))))
                .all();
    }

    /**
     * The IVR nodes walked with the time each was entered (from the session's last stored state; none for a session
     * stored before node times were kept, or once retention emptied it), then the AMI moments in Asterisk's time order.
     */
    private Mono<CallTimeline> timeline(CallEntry entry) {
        Mono<List<TimelineEntry>> ivr = db.sql("SELECT state->>'pathAt' AS at FROM ivr_sessions WHERE call_id = :id")
                .bind("id", entry.id())
                .map(row -> Optional.ofNullable(row.get("at", String.class)))
                .one()
                .defaultIfEmpty(Optional.empty())
                .map(times -> ivrNodes(entry, times.map(t -> json.readValue(t, new TypeReference<List<Instant>>() { }))
                        .orElse(List.of())));
        Mono<List<TimelineEntry>> ami = db.sql("""
                        SELECT event, event_at, fields::text AS fields FROM ami_events WHERE call_id = :id ORDER BY event_at, id""")
                .bind("id", entry.id())
                .map(row -> new TimelineEntry(Optional.of(instant(row, "event_at")), kind(row.get("event", String.class)),
                        json.readValue(row.get("fields", String.class), new TypeReference<Map<String, Object>>() { })))
                .all().collectList();
        Mono<CallTimeline> summary = db.sql("""
                        SELECT ami_state, hangup_cause, hangup_cause_text, bridged_at, talk_ms, answered_by_channel
                        FROM calls WHERE id = :id""")
                .bind("id", entry.id())
                .map(row -> new CallTimeline(opt(row, "ami_state"), Optional.ofNullable(row.get("hangup_cause", Integer.class)),
                        opt(row, "hangup_cause_text"), optInstant(row, "bridged_at"), Optional.ofNullable(row.get("talk_ms", Long.class)),
                        opt(row, "answered_by_channel"), List.of()))
                .one();
        return Mono.zip(summary, ami, ivr).map(t -> {
            List<TimelineEntry> all = new ArrayList<>(t.getT3());
            all.addAll(t.getT2());
            CallTimeline s = t.getT1();
            return new CallTimeline(s.amiState(), s.hangupCause(), s.hangupCauseText(), s.bridgedAt(), s.talkMs(),
                    s.answeredBy(), List.copyOf(all));
        });
    }

    private static String kind(String event) {
        switch (event) {
            case "DialBegin":
                return "DIAL_BEGIN";
            case "DialEnd":
                return "DIAL_END";
            case "BridgeEnter":
                return "BRIDGE_ENTER";
            case "BridgeLeave":
                return "BRIDGE_LEAVE";
            case "Hangup":
                return "HANGUP";
            case "Cdr":
                return "CDR";
            case "Newchannel":
                return "CHANNEL_CREATED";
            case "OriginateResponse":
                return "ORIGINATE_RESPONSE";
            default:
                return event.startsWith("UserEvent:") ? "CALLBACK_CONFIRM" : event.toUpperCase(java.util.Locale.ROOT);
        }
    }

    private Flux<ReferralEntry> referralsOf(CallEntry entry) {
        if (entry.caseReference().isEmpty()) {
            return Flux.empty();
        }
        return db.sql("""
                        SELECT k.reference, r.target, r.state, r.reason, r.reason_cipher, r.reason_key_id, r.created_by, r.created_at, r.updated_at, r.external_ref,
                               k.service_area_code, k.category
                        FROM referrals r JOIN cases k ON k.id = r.case_id WHERE k.reference = :ref ORDER BY r.created_at""")
                .bind("ref", entry.caseReference().get())
                .map(this::referral).all();
    }

    private Flux<Notification> notifications(CallEntry entry) {
        if (entry.caseReference().isEmpty()) {
            return Flux.empty();
        }
        return db.sql("""
                        SELECT destination, message_type, created_at, attempts, delivered_at, last_error FROM outbox
                        WHERE payload->>'reference' = :ref OR payload->>'caseReference' = :ref ORDER BY created_at, id""")
                .bind("ref", entry.caseReference().get())
                .map(row -> new Notification(row.get("destination", String.class), row.get("message_type", String.class),
                        instant(row, "created_at"), row.get("attempts", Integer.class), optInstant(row, "delivered_at"),
                        opt(row, "last_error")))
                .all();
    }

    private Mono<List<AuditTrailEntry>> trailOf(CallEntry entry, Actor reader) {
        Mono<List<AuditTrailEntry>> call = trail.read(new Subject("call", entry.id().toString()), 0, TRAIL_LIMIT, reader);
        Mono<List<AuditTrailEntry>> kase = entry.caseReference()
                .map(ref -> trail.read(new Subject("case", ref), 0, TRAIL_LIMIT, reader))
                .orElse(Mono.just(List.of()));
        return Mono.zip(call, kase).map(t -> {
            List<AuditTrailEntry> all = new ArrayList<>(t.getT1());
            all.addAll(t.getT2());
            all.sort(Comparator.comparingLong(AuditTrailEntry::id));
            return all;
        });
    }

    private static Map<String, Object> describe(CallLogQuery query) {
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("from", query.from().toString());
        filter.put("to", query.to().toString());
        query.channel().ifPresent(v -> filter.put("channel", v));
        query.outcome().ifPresent(v -> filter.put("outcome", v));
        query.serviceArea().ifPresent(v -> filter.put("serviceArea", v));
        query.unit().ifPresent(v -> filter.put("unit", v));
        query.category().ifPresent(v -> filter.put("category", v));
        query.officer().ifPresent(v -> filter.put("officer", v.toString()));
        return filter;
    }

    private static CallEntry entry(Readable row) {
        String[] path = row.get("ivr_path", String[].class);
        return new CallEntry(row.get("id", UUID.class), row.get("channel", String.class), row.get("provider", String.class),
                row.get("caller_kind", String.class), opt(row, "caller_masked"), instant(row, "started_at"),
                optInstant(row, "answered_at"), optInstant(row, "ended_at"), path == null ? List.of() : Arrays.asList(path),
                opt(row, "outcome"), opt(row, "abandoned_at_node"), opt(row, "reference"), opt(row, "category"),
                opt(row, "urgency"), opt(row, "service_area_code"), opt(row, "unit_code"), opt(row, "assigned_officer"),
                opt(row, "accepted_by"));
    }

    private ReferralEntry referral(Readable row) {
        return new ReferralEntry(row.get("reference", String.class), row.get("target", String.class), row.get("state", String.class),
                personalData.reason(row.get("reason_cipher", byte[].class), row.get("reason_key_id", String.class),
                        row.get("reason", String.class)), opt(row, "created_by"), instant(row, "created_at"), instant(row, "updated_at"),
                opt(row, "external_ref"), opt(row, "service_area_code"), row.get("category", String.class));
    }

    private static Optional<String> opt(Readable row, String column) {
        return Optional.ofNullable(row.get(column, String.class));
    }

    private static Instant instant(Readable row, String column) {
        return row.get(column, OffsetDateTime.class).toInstant();
    }

    private static Optional<Instant> optInstant(Readable row, String column) {
        return Optional.ofNullable(row.get(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }

    /** The call's IVR path as timeline entries; a node's time when the stored state has one for every node. */
    private static List<TimelineEntry> ivrNodes(CallEntry entry, List<Instant> entered) {
        List<String> path = entry.ivrPath();
        boolean timed = entered.size() >= path.size();
        List<TimelineEntry> nodes = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            Optional<Instant> at = timed ? Optional.of(entered.get(i)) : i == 0 ? Optional.of(entry.startedAt()) : Optional.empty();
            nodes.add(new TimelineEntry(at, "IVR_NODE", Map.of("node", path.get(i))));
        }
        return nodes;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
