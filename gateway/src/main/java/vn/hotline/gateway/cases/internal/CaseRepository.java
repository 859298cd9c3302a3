package vn.hotline.gateway.cases.internal;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.cases.CaseDeadline;
import vn.hotline.gateway.cases.CaseEvent;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseReferral;
import vn.hotline.gateway.cases.CaseStatus;
import vn.hotline.gateway.cases.CaseSummary;
import vn.hotline.gateway.cases.QueueEntry;
import vn.hotline.gateway.cases.QueueFilter;
import vn.hotline.gateway.db.Rows;
import vn.hotline.gateway.db.SqlPart;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.Encrypted;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.security.StaffDirectory.Staff;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.routing.calendar.StatutoryClock;
import vn.hotline.routing.decision.RoutingDecision;

/** The SQL of cases: one method per statement, each joining the caller's transaction. */
@Component
public class CaseRepository {

    private static final String SUMMARY = """
            SELECT c.id, c.reference, c.status, c.category, c.urgency, c.reporter_role, c.age_band, c.channel, c.language,
                   c.service_area_code, u.code AS unit_code, c.former_district_code, c.assigned_officer_id,
                   o.display_name AS officer_name, c.escalation_step, c.received_at, c.ack_deadline,
                   c.emergency_deadline, c.support_plan_deadline
            FROM cases c
            LEFT JOIN admin_units u ON u.id = c.admin_unit_id
            LEFT JOIN officers o ON o.id = c.assigned_officer_id
            """;

    private static final String QUEUE = """
            SELECT c.id, c.reference, c.status, c.category, c.urgency, c.reporter_role, c.age_band, c.channel, c.language,
                   c.service_area_code, u.code AS unit_code, c.former_district_code, c.assigned_officer_id,
                   o.display_name AS officer_name, c.escalation_step, c.received_at, c.ack_deadline,
                   c.emergency_deadline, c.support_plan_deadline, p.ack_due, p.statutory_due, p.statutory_kind,
                   m.missed_since, r.decision -> 'ladder' -> c.escalation_step ->> 'kind' AS rung_kind
            FROM cases c
            LEFT JOIN admin_units u ON u.id = c.admin_unit_id
            LEFT JOIN officers o ON o.id = c.assigned_officer_id
            LEFT JOIN case_routing r ON r.case_id = c.id
            LEFT JOIN LATERAL (
                SELECT min(d.due_at) FILTER (WHERE d.kind = 'ACKNOWLEDGEMENT') AS ack_due,
                       min(d.due_at) FILTER (WHERE d.kind <> 'ACKNOWLEDGEMENT') AS statutory_due,
                       (array_agg(d.kind ORDER BY d.due_at) FILTER (WHERE d.kind <> 'ACKNOWLEDGEMENT'))[1] AS statutory_kind
                FROM case_deadlines d WHERE d.case_id = c.id AND d.state = 'PENDING') p ON true
            LEFT JOIN LATERAL (
                -- Overdue: an acknowledgement deadline escalated while nobody has acknowledged yet, or a statutory
                -- deadline missed. Such cases stay on top, the longest overdue first.
                SELECT min(d.due_at) AS missed_since FROM case_deadlines d
                WHERE d.case_id = c.id
                  AND ((d.kind = 'ACKNOWLEDGEMENT' AND d.state = 'ESCALATED' AND c.status IN ('RECEIVED', 'ROUTED', 'ESCALATED'))
                       OR (d.kind <> 'ACKNOWLEDGEMENT' AND d.state = 'MISSED'))) m ON true
            WHERE c.status <> 'CLOSED'
              AND (:all OR c.service_area_code = ANY(:areas) OR c.assigned_officer_id = :me)
              AND (CAST(:area AS text) IS NULL OR coalesce(c.service_area_code, '') = :area)
              AND (CAST(:view AS text) IS NULL OR :view = 'OPEN'
                   OR (:view = 'WAITING' AND c.status IN ('RECEIVED', 'ROUTED', 'ESCALATED'))
                   OR (:view = 'ESCALATED' AND c.status = 'ESCALATED')
                   OR (:view = 'AT_RISK' AND (p.statutory_due < :atRiskBefore
                       OR EXISTS (SELECT 1 FROM case_deadlines x WHERE x.case_id = c.id AND x.kind <> 'ACKNOWLEDGEMENT'
                                  AND x.state = 'MISSED'))))
            ORDER BY m.missed_since NULLS LAST, least(p.ack_due, p.statutory_due) NULLS LAST, c.received_at
            LIMIT :limit
            """;

    private final DatabaseClient db;
    private final JsonMapper json;
    private final PersonalData personalData;

    CaseRepository(DatabaseClient db, JsonMapper json, PersonalData personalData) {
        this.db = db;
        this.json = json;
        this.personalData = personalData;
    }

    /**
     * Takes the next {@code count} numbers for this prefix and year in one short statement of its own (never inside a
     * case's transaction, so the counter's row lock is brief); emits the last of them.
     */
    public Mono<Long> takeNumbers(String prefix, int year, int count) {
        return db.sql("""
                        INSERT INTO case_reference_counters (prefix, year, last_value) VALUES (:prefix, :year, :count)
                        ON CONFLICT (prefix, year) DO UPDATE SET last_value = case_reference_counters.last_value + :count
                        RETURNING last_value""")
                .bind("prefix", prefix).bind("year", year).bind("count", (long) count)
                .map(row -> row.get(0, Long.class))
                .one();
    }

    /** The case row, routed: to be written with its routing, events and deadlines ({@link #opening}). */
    private SqlPart newCase(UUID id, String reference, CaseIntake intake, RoutingDecision decision,
                            Optional<Encrypted> freeTextLocation, Instant now) {
        TriageResult t = intake.triage();
        String hintKind = "NONE";
        String hintCode = null;
        if (t.locationHint() instanceof LocationHint.FormerDistrict d) {
            hintKind = "FORMER_DISTRICT";
            hintCode = d.code();
        } else if (t.locationHint() instanceof LocationHint.Commune c) {
            hintKind = "COMMUNE";
            hintCode = c.code();
        } else if (t.locationHint() instanceof LocationHint.FreeText) {
            hintKind = "FREE_TEXT";
        }
        String kind = hintKind;
        String code = hintCode;
        return new SqlPart("""
                        INSERT INTO cases (id, reference, channel, language, category, urgency, reporter_role, age_band,
                            admin_unit_id, service_area_code, former_district_code, status, assigned_officer_id, received_at,
                            ack_deadline, emergency_deadline, support_plan_deadline, call_id, created_at, updated_at,
                            location_hint_kind, location_hint_code, location_hint_cipher, location_hint_key_id,
                            consent_contact_school, consent_share_with_police, consent_call_back_safe, abandoned_at_node)
                        VALUES (:id, :reference, :channel, :language, :category, :urgency, :reporter, :age,
                            (SELECT id FROM admin_units WHERE code = :unitCode
                                AND valid_from = coalesce(CAST(:unitFrom AS date), '-infinity'::date)),
                            :area, :formerDistrict, 'ROUTED', :officer, :receivedAt,
                            :ack, :emergency, :supportPlan, :call, :now, :now,
                            :hintKind, :hintCode, :hintCipher, :hintKey,
                            :school, :police, :callBack, :abandoned)""", Map.ofEntries(
                Map.entry("id", id), Map.entry("reference", reference),
                Map.entry("channel", t.channel().name()), Map.entry("language", t.language().tag()),
                Map.entry("category", t.category().name()), Map.entry("urgency", t.urgency().name()),
                Map.entry("reporter", t.reporterRole().name()), Map.entry("age", t.ageBand().code()),
                Map.entry("receivedAt", utc(intake.receivedAt())), Map.entry("now", utc(now)), Map.entry("hintKind", kind),
                Map.entry("unitCode", SqlPart.orNull(decision.location().unit().map(u -> u.code()), String.class)),
                Map.entry("unitFrom", SqlPart.orNull(decision.location().unit().flatMap(u -> u.validFrom()), LocalDate.class)),
                Map.entry("area", SqlPart.orNull(decision.location().serviceArea(), String.class)),
                Map.entry("formerDistrict", SqlPart.orNull(decision.location().formerDistrictCode(), String.class)),
                Map.entry("officer", SqlPart.orNull(decision.primary().officerId().map(UUID::fromString), UUID.class)),
                Map.entry("ack", SqlPart.orNull(decision.acknowledgement().deadline().map(CaseRepository::utc), OffsetDateTime.class)),
                Map.entry("emergency", SqlPart.orNull(decision.deadline(StatutoryClock.EMERGENCY_PROTECTION_12H)
                        .map(d -> utc(d.dueAt())), OffsetDateTime.class)),
                Map.entry("supportPlan", SqlPart.orNull(decision.deadline(StatutoryClock.SUPPORT_PLAN_5_WORKING_DAYS)
                        .map(d -> utc(d.dueAt())), OffsetDateTime.class)),
                Map.entry("call", SqlPart.orNull(intake.callId(), UUID.class)),
                Map.entry("hintCode", SqlPart.orNull(Optional.ofNullable(code), String.class)),
                Map.entry("hintCipher", SqlPart.orNull(freeTextLocation.map(Encrypted::ciphertext), byte[].class)),
                Map.entry("hintKey", SqlPart.orNull(freeTextLocation.map(Encrypted::keyId), String.class)),
                Map.entry("school", SqlPart.orNull(Optional.ofNullable(t.consents().contactSchool()), Boolean.class)),
                Map.entry("police", SqlPart.orNull(Optional.ofNullable(t.consents().shareWithPolice()), Boolean.class)),
                Map.entry("callBack", SqlPart.orNull(Optional.ofNullable(t.consents().callBackSafe()), Boolean.class)),
                Map.entry("abandoned", SqlPart.orNull(t.abandonedAt(), String.class))));
    }

    /**
     * A case opened and routed, as one statement: the case row, its routing decision, its RECEIVED and ROUTED events,
     * its deadlines and co-referrals, and the caller's {@code alongside} parts (notification, audit).
     */
    public Mono<Void> open(UUID id, String reference, CaseIntake intake, RoutingDecision decision,
                           Optional<Encrypted> freeTextLocation, Instant now, String actor, List<Deadline> deadlines,
                           List<Referral> referrals, String by, SqlPart... alongside) {
        List<SqlPart> parts = new ArrayList<>(List.of(
                newCase(id, reference, intake, decision, freeTextLocation, now),
                routing(id, decision),
                events(id, now, actor,
                        new Event("RECEIVED", null, CaseStatus.RECEIVED, null, null),
                        new Event("ROUTED", CaseStatus.RECEIVED, CaseStatus.ROUTED, decision.primary().kind().name(), null)),
                deadlines(id, now, deadlines),
                referrals(id, by, now, referrals)));
        parts.addAll(List.of(alongside));
        return SqlPart.together(db, parts).then();
    }

    private SqlPart routing(UUID caseId, RoutingDecision decision) {
        return new SqlPart("""
                INSERT INTO case_routing (case_id, decided_at, location_rule, nobody_on_call, decision)
                VALUES (:id, :decidedAt, :rule, :nobody, :decision)""",
                Map.of("id", caseId, "decidedAt", utc(decision.decidedAt()), "rule", decision.location().rule().name(),
                        "nobody", decision.nobodyOnCall(), "decision", Json.of(json.writeValueAsString(decision))));
    }

    /** The stored routing decision as a JSON tree, for the API and the escalation scheduler. */
    public Mono<Map<String, Object>> routingJson(UUID caseId) {
        return db.sql("SELECT decision::text FROM case_routing WHERE case_id = :id").bind("id", caseId)
                .map(row -> json.readValue(row.get(0, String.class), new TypeReference<Map<String, Object>>() { }))
                .one()
                .defaultIfEmpty(Map.of());
    }

    /** An entry of a case's history; {@code from}, {@code to}, {@code reason} and {@code note} may be null. */
    public record Event(String type, CaseStatus from, CaseStatus to, String reason, Encrypted note) {
    }

    public Mono<Void> insertEvent(UUID caseId, Instant at, String actor, String type, CaseStatus from, CaseStatus to,
                                  String reason, Encrypted note) {
        return SqlPart.together(db, events(caseId, at, actor, new Event(type, from, to, reason, note))).then();
    }

    private SqlPart events(UUID caseId, Instant at, String actor, Event... events) {
        Rows rows = Rows.into("case_events", "event", "case_id", "occurred_at", "actor", "event_type", "from_status",
                "to_status", "reason_cipher", "reason_key_id", "note_cipher", "note_key_id");
        for (Event e : events) {
            Optional<Encrypted> note = Optional.ofNullable(e.note());
            Optional<Encrypted> reason = sealed(e.reason());
            rows.row(caseId, utc(at), actor, e.type(), SqlPart.orNull(Optional.ofNullable(e.from()).map(Enum::name), String.class),
                    SqlPart.orNull(Optional.ofNullable(e.to()).map(Enum::name), String.class),
                    SqlPart.orNull(reason.map(Encrypted::ciphertext), byte[].class), SqlPart.orNull(reason.map(Encrypted::keyId), String.class),
                    SqlPart.orNull(note.map(Encrypted::ciphertext), byte[].class), SqlPart.orNull(note.map(Encrypted::keyId), String.class));
        }
        return rows.part();
    }

    /** A reason as stored: sealed like a note, since staff type it (issue 17: it may name a child or a number). */
    private Optional<Encrypted> sealed(String reason) {
        return Optional.ofNullable(reason).map(text -> personalData.encrypt(text, DataField.REASON));
    }

    /** A stored reason opened: the sealed one, or the clear one of a row not yet sealed by ClearReasons. */
    private Optional<String> reason(Readable row) {
        return personalData.reason(row.get("reason_cipher", byte[].class), row.get("reason_key_id", String.class),
                row.get("reason", String.class));
    }

    /** How many status changes the case has had (counted after this transaction's own): grows with every change. */
    public Mono<Long> statusChanges(UUID caseId) {
        return db.sql("SELECT count(*) FROM case_events WHERE case_id = :id AND to_status IS NOT NULL")
                .bind("id", caseId).map(r -> r.get(0, Long.class)).one();
    }

    /** A deadline of a case: its kind, the escalation step it belongs to, when it falls due. */
    public record Deadline(String kind, int step, Instant due) {
    }

    public Mono<Void> insertDeadline(UUID caseId, String kind, int step, Instant due, Instant now) {
        return SqlPart.together(db, deadlines(caseId, now, List.of(new Deadline(kind, step, due)))).then();
    }

    private static SqlPart deadlines(UUID caseId, Instant now, List<Deadline> deadlines) {
        Rows rows = Rows.into("case_deadlines", "deadline", "case_id", "kind", "step", "due_at", "created_at");
        for (Deadline d : deadlines) {
            rows.row(caseId, d.kind(), d.step(), utc(d.due()), utc(now));
        }
        return rows.part();
    }

    /** Closes the pending deadline of a kind (if any) with the given state. */
    public Mono<Void> settleDeadline(UUID caseId, String kind, String state, Instant now, String by) {
        return db.sql("""
                        UPDATE case_deadlines SET state = :state, resolved_at = :now, resolved_by = :by
                        WHERE case_id = :id AND kind = :kind AND state = 'PENDING'""")
                .bind("state", state).bind("now", utc(now)).bind("by", by).bind("id", caseId).bind("kind", kind)
                .then();
    }

    /** A referral to another body: where to, its idempotency key (a second one with the same key is skipped), why. */
    public record Referral(String target, String key, String reason) {
    }

    public Mono<Void> insertReferral(UUID caseId, String target, String key, String reason, String by, Instant now) {
        return SqlPart.together(db, referrals(caseId, by, now, List.of(new Referral(target, key, reason)))).then();
    }

    private SqlPart referrals(UUID caseId, String by, Instant now, List<Referral> referrals) {
        Rows rows = Rows.into("referrals", "referral", "id", "case_id", "target", "state", "idempotency_key", "reason_cipher",
                "reason_key_id", "created_by", "created_at", "updated_at").skipConflictsOn("idempotency_key");
        for (Referral r : referrals) {
            Optional<Encrypted> reason = sealed(r.reason());
            rows.row(UUID.randomUUID(), caseId, r.target(), "PENDING", r.key(),
                    SqlPart.orNull(reason.map(Encrypted::ciphertext), byte[].class), SqlPart.orNull(reason.map(Encrypted::keyId), String.class),
                    by, utc(now), utc(now));
        }
        return rows.part();
    }

    public Mono<Void> updateStatus(UUID caseId, CaseStatus status, Instant now) {
        return db.sql("UPDATE cases SET status = :status, updated_at = :now WHERE id = :id")
                .bind("status", status.name()).bind("now", utc(now)).bind("id", caseId).then();
    }

    public Mono<Void> assign(UUID caseId, UUID officerId, Instant now) {
        return db.sql("UPDATE cases SET assigned_officer_id = :officer, updated_at = :now WHERE id = :id")
                .bind("officer", officerId).bind("now", utc(now)).bind("id", caseId).then();
    }

    /** Moves a case to the next rung: who holds it, which step, and the status ESCALATED. */
    public Mono<Void> escalate(UUID caseId, int step, Optional<UUID> officerId, Optional<Instant> ackDeadline, Instant now) {
        GenericExecuteSpec spec = db.sql("""
                        UPDATE cases SET status = 'ESCALATED', escalation_step = :step, assigned_officer_id = :officer,
                            ack_deadline = :ack, updated_at = :now
                        WHERE id = :id""")
                .bind("step", step).bind("now", utc(now)).bind("id", caseId);
        spec = bindNullable(spec, "officer", officerId, UUID.class);
        spec = bindNullable(spec, "ack", ackDeadline.map(CaseRepository::utc), OffsetDateTime.class);
        return spec.then();
    }

    /** How an officer is named as an actor: their login, or {@code officer:<roster id>} when they have none. */
    public Mono<String> officerActor(UUID officerId) {
        return db.sql("""
                        SELECT COALESCE((SELECT u.username FROM users u WHERE u.officer_id = o.id ORDER BY u.created_at LIMIT 1),
                                        'officer:' || o.roster_id)
                        FROM officers o WHERE o.id = :id""")
                .bind("id", officerId).map(row -> row.get(0, String.class)).one();
    }

    public Mono<Boolean> officerExists(UUID officerId) {
        return db.sql("SELECT EXISTS (SELECT 1 FROM officers WHERE id = :id AND active)").bind("id", officerId)
                .map(row -> row.get(0, Boolean.class)).one();
    }

    /** A case by reference; {@code forUpdate} locks its row for the rest of the transaction. */
    public Mono<CaseSummary> find(String reference, boolean forUpdate) {
        return db.sql(SUMMARY + " WHERE c.reference = :reference" + (forUpdate ? " FOR UPDATE OF c" : ""))
                .bind("reference", reference).map(CaseRepository::summary).one();
    }

    public Mono<CaseSummary> findById(UUID id) {
        return db.sql(SUMMARY + " WHERE c.id = :id FOR UPDATE OF c").bind("id", id).map(CaseRepository::summary).one();
    }

    /** The idempotency keys of a case's referrals to one target, oldest first. */
    public Flux<String> referralKeys(UUID caseId, String target) {
        return db.sql("SELECT idempotency_key FROM referrals WHERE case_id = :id AND target = :target ORDER BY created_at, id")
                .bind("id", caseId).bind("target", target)
                .map(row -> row.get(0, String.class))
                .all();
    }

    /** The case a call opened (the first, should there be several), locked for the caller's transaction. */
    public Mono<CaseSummary> findByCall(UUID callId) {
        return db.sql(SUMMARY + " WHERE c.call_id = :call ORDER BY c.created_at, c.id LIMIT 1 FOR UPDATE OF c")
                .bind("call", callId).map(CaseRepository::summary).one();
    }

    /** Cases a viewer may see: every case for supervisors; for officers, their areas and what is assigned to them. */
    public Flux<CaseSummary> list(Staff viewer, Optional<CaseStatus> status, int limit) {
        String where = " WHERE (:all OR c.service_area_code = ANY(:areas) OR c.assigned_officer_id = :me)"
                + (status.isPresent() ? " AND c.status = :status" : "");
        GenericExecuteSpec spec = db.sql(SUMMARY + where + " ORDER BY coalesce(c.ack_deadline, c.received_at) LIMIT :limit")
                .bind("all", viewer.seesAllAreas())
                .bind("areas", viewer.serviceAreas().toArray(String[]::new))
                .bind("limit", limit);
        spec = bindNullable(spec, "me", viewer.officerId(), UUID.class);
        if (status.isPresent()) {
            spec = spec.bind("status", status.get().name());
        }
        return spec.map(CaseRepository::summary).all();
    }

    /**
     * Open cases a viewer may see with their pending deadlines: overdue cases on top (the longest overdue first), then
     * the deadline falling first (cases without a running deadline last, oldest first).
     */
    public Flux<QueueEntry> queue(Staff viewer, int limit, QueueFilter filter) {
        GenericExecuteSpec spec = db.sql(QUEUE)
                .bind("all", viewer.seesAllAreas())
                .bind("areas", viewer.serviceAreas().toArray(String[]::new))
                .bind("limit", limit)
                .bind("atRiskBefore", utc(filter.atRiskBefore()));
        spec = bindNullable(spec, "me", viewer.officerId(), UUID.class);
        spec = bindNullable(spec, "area", filter.area(), String.class);
        spec = bindNullable(spec, "view", filter.view().map(Enum::name), String.class);
        return spec.map(row -> new QueueEntry(summary(row), optInstant(row, "ack_due"), optInstant(row, "statutory_due"),
                opt(row, "statutory_kind"), optInstant(row, "missed_since"), opt(row, "rung_kind"))).all();
    }

    public Flux<CaseEvent> events(UUID caseId) {
        return db.sql("""
                        SELECT occurred_at, actor, event_type, from_status, to_status, reason, reason_cipher, reason_key_id,
                               note_cipher, note_key_id
                        FROM case_events WHERE case_id = :id ORDER BY occurred_at, id""")
                .bind("id", caseId)
                .map(row -> new CaseEvent(instant(row, "occurred_at"), row.get("actor", String.class), row.get("event_type", String.class),
                        opt(row, "from_status"), opt(row, "to_status"), reason(row),
                        Optional.ofNullable(row.get("note_cipher", byte[].class))
                                .map(c -> new Encrypted(row.get("note_key_id", String.class), c)),
                        Optional.empty()))
                .all();
    }

    public Flux<CaseDeadline> deadlinesOf(UUID caseId) {
        return db.sql("SELECT kind, step, due_at, state, resolved_at FROM case_deadlines WHERE case_id = :id ORDER BY due_at, id")
                .bind("id", caseId)
                .map(row -> new CaseDeadline(row.get("kind", String.class), row.get("step", Integer.class), instant(row, "due_at"),
                        row.get("state", String.class), Optional.ofNullable(row.get("resolved_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant)))
                .all();
    }

    public Flux<CaseReferral> referralsOf(UUID caseId) {
        return db.sql("""
                        SELECT target, state, reason, reason_cipher, reason_key_id, created_by, created_at, external_ref
                        FROM referrals WHERE case_id = :id ORDER BY created_at, target""")
                .bind("id", caseId)
                .map(row -> new CaseReferral(row.get("target", String.class), row.get("state", String.class), reason(row),
                        opt(row, "created_by"), instant(row, "created_at"), opt(row, "external_ref")))
                .all();
    }

    private static CaseSummary summary(Readable row) {
        return new CaseSummary(row.get("id", UUID.class), row.get("reference", String.class),
                CaseStatus.valueOf(row.get("status", String.class)), row.get("category", String.class),
                row.get("urgency", String.class), row.get("reporter_role", String.class), row.get("age_band", String.class),
                row.get("channel", String.class), row.get("language", String.class),
                opt(row, "service_area_code"), opt(row, "unit_code"), opt(row, "former_district_code"),
                Optional.ofNullable(row.get("assigned_officer_id", UUID.class)), opt(row, "officer_name"),
                row.get("escalation_step", Integer.class), instant(row, "received_at"),
                optInstant(row, "ack_deadline"), optInstant(row, "emergency_deadline"), optInstant(row, "support_plan_deadline"));
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

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static <T> GenericExecuteSpec bindNullable(GenericExecuteSpec spec, String name, Optional<? extends T> value, Class<T> type) {
        return value.isPresent() ? spec.bind(name, value.get()) : spec.bindNull(name, type);
    }
}
