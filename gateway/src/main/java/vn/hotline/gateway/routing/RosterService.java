package vn.hotline.gateway.routing;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.privacy.CallerId;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.privacy.ProtectedNumber;
import vn.hotline.gateway.routing.internal.RoutingDataLoader;
import vn.hotline.ivr.triage.Language;
import vn.hotline.routing.roster.LineError;
import vn.hotline.routing.roster.Officer;
import vn.hotline.routing.roster.PhoneRef;
import vn.hotline.routing.roster.Roster;
import vn.hotline.routing.roster.RosterCsv;
import vn.hotline.routing.roster.RosterImport;
import vn.hotline.routing.roster.Shift;
import vn.hotline.routing.roster.Skill;

/**
 * The roster as CSV. An import is the whole roster: officers in the file are created or updated, officers missing
 * from it are deactivated, and every shift that has not ended yet is replaced by the file's; past shifts stay as
 * history. In the officers file, {@code phone_ref} is a phone number for a new or changed phone, or the masked
 * number an export wrote (which keeps the stored phone): an exported file never holds a number in clear.
 */
@Service
public class RosterService {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final PersonalData personalData;
    private final AuditLog audit;
    private final RoutingService routing;
    private final Clock clock;
    private final ZoneId zone;

    RosterService(DatabaseClient db, TransactionalOperator tx, PersonalData personalData, AuditLog audit,
                  RoutingService routing, Clock clock, ZoneId businessZone) {
        this.db = db;
        this.tx = tx;
        this.personalData = personalData;
        this.audit = audit;
        this.routing = routing;
        this.clock = clock;
        this.zone = businessZone;
    }

    /**
     * What an import changed.
     *
     * @param officers officers in the file
     * @param deactivated officers no longer in the roster
     * @param shifts future shifts now planned
     */
    public record ImportResult(int officers, int deactivated, int shifts) {
    }

    /** The two CSV files of an export. */
    public record Export(String officersCsv, String shiftsCsv) {
    }

    private record Existing(UUID id, String rosterId) {
    }

    /** Validates both files and, only when every line is good, replaces the roster in one transaction. */
    public Mono<ImportResult> importCsv(String officersCsv, String shiftsCsv, String actor) {
        return knownAreas().flatMap(areas -> {
            RosterImport parsed = new RosterCsv(zone, areas).parse(officersCsv, shiftsCsv);
            if (parsed instanceof RosterImport.Rejected rejected) {
                return Mono.error(new RosterRejected(rejected.errors()));
            }
            Roster roster = ((RosterImport.Accepted) parsed).roster();
            return existing().flatMap(existing -> {
                List<LineError> phoneErrors = new ArrayList<>();
                Map<String, ProtectedNumber> phones = new HashMap<>();
                for (int i = 0; i < roster.officers().size(); i++) {
                    Officer officer = roster.officers().get(i);
                    CallerId phone = personalData.identify(officer.phone().value());
                    if (phone instanceof CallerId.Number number) {
                        phones.put(officer.id(), personalData.protect(number, DataField.OFFICER_PHONE));
                    } else if (!existing.containsKey(officer.id())) {
                        phoneErrors.add(LineError.of("officers", i + 2, LineError.Code.PHONE_NOT_A_NUMBER, officer.id()));
                    }
                }
                if (!phoneErrors.isEmpty()) {
                    return Mono.error(new RosterRejected(phoneErrors));
                }
                return tx.transactional(apply(roster, existing, phones, actor));
            });
        }).doOnSuccess(result -> routing.invalidate());
    }

    private Mono<ImportResult> apply(Roster roster, Map<String, Existing> existing, Map<String, ProtectedNumber> phones, String actor) {
        Instant now = clock.instant();
        OffsetDateTime nowUtc = now.atOffset(ZoneOffset.UTC);
        Map<String, UUID> ids = new HashMap<>();
        List<Mono<Void>> steps = new ArrayList<>();
        for (Officer officer : roster.officers()) {
            UUID id = existing.containsKey(officer.id()) ? existing.get(officer.id()).id() : UUID.randomUUID();
            ids.put(officer.id(), id);
            steps.add(upsertOfficer(id, officer, phones.get(officer.id()), nowUtc));
            steps.add(db.sql("DELETE FROM officer_service_areas WHERE officer_id = :id").bind("id", id).then());
            for (String area : officer.serviceAreas()) {
                steps.add(db.sql("INSERT INTO officer_service_areas (officer_id, service_area_code, role) VALUES (:id, :area, 'PRIMARY')")
                        .bind("id", id).bind("area", area).then());
            }
        }
        Set<String> inFile = new HashSet<>(ids.keySet());
        List<UUID> gone = existing.values().stream().filter(e -> !inFile.contains(e.rosterId())).map(Existing::id).toList();
        for (UUID id : gone) {
            steps.add(db.sql("UPDATE officers SET active = false, updated_at = :now WHERE id = :id").bind("now", nowUtc).bind("id", id).then());
            steps.add(db.sql("DELETE FROM officer_service_areas WHERE officer_id = :id").bind("id", id).then());
        }
        steps.add(db.sql("DELETE FROM rota_shifts WHERE ends_at > :now").bind("now", nowUtc).then());
        List<Shift> future = roster.shifts().stream().filter(s -> s.end().isAfter(now)).toList();
        for (Shift shift : future) {
            var spec = db.sql("INSERT INTO rota_shifts (officer_id, duty, service_area_code, starts_at, ends_at) VALUES (:o, :duty, :area, :from, :to)")
                    .bind("o", ids.get(shift.officerId())).bind("duty", shift.role().name())
                    .bind("from", shift.start().atOffset(ZoneOffset.UTC)).bind("to", shift.end().atOffset(ZoneOffset.UTC));
            steps.add((shift.serviceArea().isPresent() ? spec.bind("area", shift.serviceArea().get()) : spec.bindNull("area", String.class)).then());
        }
        ImportResult result = new ImportResult(roster.officers().size(), gone.size(), future.size());
        steps.add(audit.record(new AuditEntry(Actor.user(actor), AuditAction.ROSTER_IMPORTED, new Subject("roster", "province"),
                Map.of("officers", result.officers(), "deactivated", result.deactivated(), "shifts", result.shifts()))));
        return Flux.concat(steps).then(Mono.just(result));
    }

    private Mono<Void> upsertOfficer(UUID id, Officer officer, ProtectedNumber phone, OffsetDateTime now) {
        String[] skills = officer.skills().stream().map(Skill::name).sorted().toArray(String[]::new);
        String[] languages = officer.languages().stream().map(Language::tag).sorted().toArray(String[]::new);
        if (phone == null) {
            return db.sql("""
                            UPDATE officers SET display_name = :name, skills = :skills, languages = :languages, active = true, updated_at = :now
                            WHERE id = :id""")
                    .bind("name", officer.name()).bind("skills", skills).bind("languages", languages).bind("now", now).bind("id", id)
                    .then();
        }
        return db.sql("""
                        INSERT INTO officers (id, roster_id, display_name, phone_hash, phone_cipher, phone_key_id, phone_masked,
                                              languages, skills, active, created_at, updated_at)
                        VALUES (:id, :rosterId, :name, :hash, :cipher, :key, :masked, :languages, :skills, true, :now, :now)
                        ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, phone_hash = excluded.phone_hash,
                            phone_cipher = excluded.phone_cipher, phone_key_id = excluded.phone_key_id, phone_masked = excluded.phone_masked,
                            languages = excluded.languages, skills = excluded.skills, active = true, updated_at = excluded.updated_at""")
                .bind("id", id).bind("rosterId", officer.id()).bind("name", officer.name())
                .bind("hash", phone.lookupHash()).bind("cipher", phone.ciphertext()).bind("key", phone.keyId()).bind("masked", phone.masked())
                .bind("languages", languages).bind("skills", skills).bind("now", now)
                .then();
    }

    /** The active roster as the two CSV files, phones masked; the export is audited. */
    public Mono<Export> exportCsv(String actor) {
        Instant now = clock.instant();
        Mono<List<Officer>> officers = db.sql("""
                        SELECT o.roster_id, o.display_name, o.skills, o.languages, o.phone_masked,
                               coalesce(array_agg(a.service_area_code) FILTER (WHERE a.service_area_code IS NOT NULL), '{}') AS areas
                        FROM officers o LEFT JOIN officer_service_areas a ON a.officer_id = o.id
                        WHERE o.active GROUP BY o.id ORDER BY o.roster_id""")
                .map(row -> new Officer(row.get("roster_id", String.class), row.get("display_name", String.class),
                        Set.of(row.get("areas", String[].class)), RoutingDataLoader.skills(row.get("skills", String[].class)),
                        new PhoneRef(row.get("phone_masked", String.class)), RoutingDataLoader.languages(row.get("languages", String[].class))))
                .all().collectList();
        Mono<List<Shift>> shifts = db.sql("""
                        SELECT o.roster_id, s.duty, s.service_area_code, s.starts_at, s.ends_at
                        FROM rota_shifts s JOIN officers o ON o.id = s.officer_id
                        WHERE o.active AND s.ends_at > :now ORDER BY s.starts_at, o.roster_id""")
                .bind("now", now.atOffset(ZoneOffset.UTC))
                .map(row -> new Shift(row.get("roster_id", String.class),
                        vn.hotline.routing.roster.ShiftRole.valueOf(row.get("duty", String.class)),
                        java.util.Optional.ofNullable(row.get("service_area_code", String.class)),
                        row.get("starts_at", OffsetDateTime.class).toInstant(), row.get("ends_at", OffsetDateTime.class).toInstant()))
                .all().collectList();
        return Mono.zip(officers, shifts, knownAreas()).flatMap(t -> {
            Roster roster = new Roster(t.getT1(), t.getT2());
            RosterCsv csv = new RosterCsv(zone, t.getT3());
            return audit.record(new AuditEntry(Actor.user(actor), AuditAction.ROSTER_EXPORTED, new Subject("roster", "province"),
                            Map.of("officers", t.getT1().size(), "shifts", t.getT2().size())))
                    .thenReturn(new Export(csv.exportOfficers(roster), csv.exportShifts(roster)));
        });
    }

    private Mono<Set<String>> knownAreas() {
        return db.sql("SELECT code FROM service_areas WHERE active").map(row -> row.get(0, String.class)).all().collect(java.util.stream.Collectors.toSet());
    }

    private Mono<Map<String, Existing>> existing() {
        return db.sql("SELECT id, roster_id FROM officers").map(row -> new Existing(row.get("id", UUID.class), row.get("roster_id", String.class)))
                .all().collectMap(Existing::rosterId);
    }
}
