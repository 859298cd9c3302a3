package vn.hotline.gateway.routing;

import java.time.LocalDate;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditAction;
import vn.hotline.gateway.audit.AuditEntry;
import vn.hotline.gateway.audit.AuditLog;
import vn.hotline.gateway.audit.Subject;
import vn.hotline.gateway.cases.CaseProblem;

/**
 * An administrator's correction of the old-to-new mapping: which service area a unit belongs to. The reference data
 * links each 2025 commune to the former district of the commune whose code it kept; a merged commune that straddles
 * two former districts may belong elsewhere. Cases already routed keep their area.
 */
@Service
public class UnitMappingService {

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final AuditLog audit;
    private final RoutingService routing;

    UnitMappingService(DatabaseClient db, TransactionalOperator tx, AuditLog audit, RoutingService routing) {
        this.db = db;
        this.tx = tx;
        this.audit = audit;
        this.routing = routing;
    }

    /** Moves the unit with this code, valid on {@code validOn}, into {@code serviceArea}. */
    public Mono<Void> moveUnit(String unitCode, LocalDate validOn, String serviceArea, String reason, String actor) {
        if (reason == null || reason.isBlank()) {
            return Mono.error(CaseProblem.badRequest("reason-required", "A mapping correction needs a reason"));
        }
        Mono<Void> move = db.sql("""
                        SELECT u.id, (SELECT service_area_code FROM service_area_units WHERE admin_unit_id = u.id LIMIT 1) AS old_area
                        FROM admin_units u
                        WHERE u.code = :code AND u.valid_from <= :on AND (u.valid_to IS NULL OR u.valid_to >= :on)""")
                .bind("code", unitCode).bind("on", validOn)
                .map(row -> new Object[] {row.get("id", Long.class), row.get("old_area", String.class)})
                .one()
                .switchIfEmpty(Mono.error(CaseProblem.badRequest("unknown-unit", "No unit " + unitCode + " valid on " + validOn)))
                .flatMap(unit -> db.sql("SELECT EXISTS (SELECT 1 FROM service_areas WHERE code = :area AND active)").bind("area", serviceArea)
                        .map(row -> row.get(0, Boolean.class)).one()
                        .flatMap(exists -> exists ? Mono.just(unit)
                                : Mono.error(CaseProblem.badRequest("unknown-area", "No active service area " + serviceArea))))
                .flatMap(unit -> db.sql("DELETE FROM service_area_units WHERE admin_unit_id = :id").bind("id", unit[0]).then()
                        .then(db.sql("INSERT INTO service_area_units (service_area_code, admin_unit_id, source) VALUES (:area, :id, 'ADMIN')")
                                .bind("area", serviceArea).bind("id", unit[0]).then())
                        .then(audit.record(new AuditEntry(Actor.user(actor), AuditAction.UNIT_AREA_CORRECTED,
                                new Subject("admin-unit", unitCode + "@" + validOn),
                                Map.of("from", String.valueOf(unit[1]), "to", serviceArea, "reason", reason)))));
        return tx.transactional(move).doOnSuccess(done -> routing.invalidate());
    }
}
