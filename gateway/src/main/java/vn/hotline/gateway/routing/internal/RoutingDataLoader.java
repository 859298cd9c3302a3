package vn.hotline.gateway.routing.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import vn.hotline.ivr.triage.Language;
import vn.hotline.routing.jurisdiction.AdminUnit;
import vn.hotline.routing.jurisdiction.FormerDistrictLink;
import vn.hotline.routing.jurisdiction.Jurisdictions;
import vn.hotline.routing.jurisdiction.ServiceArea;
import vn.hotline.routing.jurisdiction.UnitLevel;
import vn.hotline.routing.jurisdiction.UnitRef;
import vn.hotline.routing.roster.Officer;
import vn.hotline.routing.roster.PhoneRef;
import vn.hotline.routing.roster.Roster;
import vn.hotline.routing.roster.Shift;
import vn.hotline.routing.roster.ShiftRole;
import vn.hotline.routing.roster.Skill;

/** Reads units, service areas, active officers and the shifts around now into the routing module's model. */
@Component
public class RoutingDataLoader {

    private static final Logger log = LoggerFactory.getLogger(RoutingDataLoader.class);

    private final DatabaseClient db;

    RoutingDataLoader(DatabaseClient db) {
        this.db = db;
    }

    /**
     * What the loader read.
     *
     * @param jurisdictions units and areas
     * @param roster active officers and their shifts overlapping the window
     */
    public record Data(Jurisdictions jurisdictions, Roster roster) {
    }

    private record AreaUnit(String area, String areaName, String kind, UnitRef unit) {
    }

    /** Loads everything a decision needs, with shifts overlapping {@code [from, to)}. */
    public Mono<Data> load(Instant from, Instant to) {
        Mono<List<AdminUnit>> units = db.sql("""
                        SELECT code, name, level, parent_code, successor_codes,
                               CASE WHEN valid_from = '-infinity' THEN NULL ELSE valid_from END AS valid_from, valid_to
                        FROM admin_units""")
                .map(row -> new AdminUnit(row.get("code", String.class), row.get("name", String.class),
                        UnitLevel.valueOf(row.get("level", String.class)),
                        Optional.ofNullable(row.get("parent_code", String.class)).orElse(""),
                        Optional.ofNullable(row.get("valid_from", LocalDate.class)),
                        Optional.ofNullable(row.get("valid_to", LocalDate.class)),
                        Arrays.asList(row.get("successor_codes", String[].class))))
                .all().collectList();
        Mono<List<AreaUnit>> areaUnits = db.sql("""
                        SELECT a.code AS area, a.name AS area_name, a.kind, u.code,
                               CASE WHEN u.valid_from = '-infinity' THEN NULL ELSE u.valid_from END AS valid_from
                        FROM service_areas a
                        JOIN service_area_units s ON s.service_area_code = a.code
                        JOIN admin_units u ON u.id = s.admin_unit_id
                        WHERE a.active""")
                .map(row -> new AreaUnit(row.get("area", String.class), row.get("area_name", String.class),
                        row.get("kind", String.class),
                        new UnitRef(row.get("code", String.class), Optional.ofNullable(row.get("valid_from", LocalDate.class)))))
                .all().collectList();
        Mono<Jurisdictions> jurisdictions = Mono.zip(units, areaUnits).map(t -> {
            Map<String, ServiceArea> areas = new HashMap<>();
            Map<String, Set<UnitRef>> members = new HashMap<>();
            Map<String, String> names = new HashMap<>();
            List<FormerDistrictLink> links = new ArrayList<>();
            for (AreaUnit au : t.getT2()) {
                members.computeIfAbsent(au.area(), k -> new HashSet<>()).add(au.unit());
                names.put(au.area(), au.areaName());
                if ("FORMER_DISTRICT".equals(au.kind())) {
                    links.add(new FormerDistrictLink(au.unit(), au.area()));
                }
            }
            members.forEach((code, refs) -> areas.put(code, new ServiceArea(code, names.get(code), refs)));
            return Jurisdictions.of(t.getT1(), links, List.copyOf(areas.values()));
        });
        return Mono.zip(jurisdictions, roster(from, to)).map(t -> new Data(t.getT1(), t.getT2()));
    }

    private Mono<Roster> roster(Instant from, Instant to) {
        Mono<List<Officer>> officers = db.sql("""
                        SELECT o.id::text AS id, o.display_name, o.skills, o.languages,
                               coalesce(array_agg(a.service_area_code) FILTER (WHERE a.service_area_code IS NOT NULL), '{}') AS areas
                        FROM officers o LEFT JOIN officer_service_areas a ON a.officer_id = o.id
                        WHERE o.active
                        GROUP BY o.id""")
                .map(row -> new Officer(row.get("id", String.class), row.get("display_name", String.class),
                        Set.of(row.get("areas", String[].class)), skills(row.get("skills", String[].class)),
                        new PhoneRef(row.get("id", String.class)), languages(row.get("languages", String[].class))))
                .all().collectList();
        Mono<List<Shift>> shifts = db.sql("""
                        SELECT s.officer_id::text AS officer_id, s.duty, s.service_area_code, s.starts_at, s.ends_at
                        FROM rota_shifts s JOIN officers o ON o.id = s.officer_id
                        WHERE o.active AND s.ends_at > :from AND s.starts_at < :to
                        ORDER BY s.starts_at""")
                .bind("from", from.atOffset(ZoneOffset.UTC)).bind("to", to.atOffset(ZoneOffset.UTC))
                .map(row -> new Shift(row.get("officer_id", String.class), ShiftRole.valueOf(row.get("duty", String.class)),
                        Optional.ofNullable(row.get("service_area_code", String.class)),
                        row.get("starts_at", OffsetDateTime.class).toInstant(), row.get("ends_at", OffsetDateTime.class).toInstant()))
                .all().collectList();
        return Mono.zip(officers, shifts).map(t -> new Roster(t.getT1(), t.getT2()));
    }

    /** Skill codes as stored; unknown codes are ignored with a warning. */
    public static Set<Skill> skills(String[] codes) {
        Set<Skill> skills = EnumSet.noneOf(Skill.class);
        for (String code : codes) {
            try {
                skills.add(Skill.valueOf(code));
            } catch (IllegalArgumentException e) {
                log.warn("Ignoring unknown skill code {} in the officers table", code);
            }
        }
        return skills;
    }

    /** Language tags as stored. */
    public static Set<Language> languages(String[] tags) {
        Set<Language> languages = EnumSet.noneOf(Language.class);
        for (String tag : tags) {
            languages.add(Language.fromTag(tag));
        }
        return languages;
    }
}
