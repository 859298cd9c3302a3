package vn.hotline.routing.jurisdiction;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import vn.hotline.ivr.triage.LocationHint;

/**
 * An immutable, indexed snapshot of administrative units, former-district links and service areas, with the rules
 * that resolve a caller's location hint to the unit valid on the report date.
 */
public final class Jurisdictions {

    private final Map<String, List<AdminUnit>> unitsByCode;
    private final Map<UnitRef, AdminUnit> unitsByRef;
    private final Map<String, ServiceArea> areasByCode;
    private final Map<UnitRef, ServiceArea> areaByUnit;
    private final Map<UnitRef, String> formerDistrictByUnit;

    private Jurisdictions(List<AdminUnit> units, List<FormerDistrictLink> links, List<ServiceArea> areas) {
        unitsByRef = new HashMap<>();
        unitsByCode = new HashMap<>();
        for (AdminUnit unit : units) {
            if (unitsByRef.put(unit.ref(), unit) != null) {
                throw new IllegalArgumentException("duplicate unit " + unit.ref().key());
            }
            unitsByCode.computeIfAbsent(unit.code(), code -> new ArrayList<>()).add(unit);
        }
        unitsByCode.values().forEach(versions -> versions.sort(
                Comparator.comparing(unit -> unit.validFrom().orElse(LocalDate.MIN))));
        formerDistrictByUnit = new HashMap<>();
        for (FormerDistrictLink link : links) {
            requireKnown(link.unit());
            if (formerDistrictByUnit.put(link.unit(), link.formerDistrictCode()) != null) {
                throw new IllegalArgumentException("two former districts for unit " + link.unit().key());
            }
        }
        areasByCode = new LinkedHashMap<>();
        areaByUnit = new HashMap<>();
        for (ServiceArea area : areas) {
            if (areasByCode.put(area.code(), area) != null) {
                throw new IllegalArgumentException("duplicate service area " + area.code());
            }
            for (UnitRef ref : area.units()) {
                requireKnown(ref);
                ServiceArea other = areaByUnit.put(ref, area);
                if (other != null) {
                    throw new IllegalArgumentException(
                            "unit " + ref.key() + " is in service areas " + other.code() + " and " + area.code());
                }
            }
        }
    }

    /** A snapshot with explicit service areas (an administrator's own grouping). */
    public static Jurisdictions of(
            List<AdminUnit> units, List<FormerDistrictLink> links, List<ServiceArea> areas) {
        return new Jurisdictions(units, links, areas);
    }

    /** A snapshot whose service areas are the default ones: one per former district (see {@link #defaultAreas}). */
    public static Jurisdictions withDefaultAreas(List<AdminUnit> units, List<FormerDistrictLink> links) {
        return new Jurisdictions(units, links, defaultAreas(units, links));
    }

    /**
     * The default service areas: one per district-level unit, holding the district and every unit linked to it;
     * replacing the links (an administrator's correction) and calling this again regroups the communes.
     */
    public static List<ServiceArea> defaultAreas(Collection<AdminUnit> units, Collection<FormerDistrictLink> links) {
        Map<String, Set<UnitRef>> members = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        units.stream()
                .filter(unit -> unit.level() == UnitLevel.DISTRICT)
                .sorted(Comparator.comparing(AdminUnit::code))
                .forEach(district -> {
                    members.computeIfAbsent(district.code(), code -> new LinkedHashSet<>()).add(district.ref());
                    names.put(district.code(), district.name());
                });
        for (FormerDistrictLink link : links) {
            Set<UnitRef> area = members.get(link.formerDistrictCode());
            if (area == null) {
                throw new IllegalArgumentException(
                        "unit " + link.unit().key() + " links to unknown district " + link.formerDistrictCode());
            }
            area.add(link.unit());
        }
        List<ServiceArea> areas = new ArrayList<>();
        members.forEach((code, refs) -> areas.add(new ServiceArea(code, names.get(code), refs)));
        return List.copyOf(areas);
    }

    /**
     * Resolves what the caller said to the unit valid on {@code reportDate} (the business-zone date the report was
     * received), its service area and former district.
     */
    public ResolvedLocation resolve(LocationHint hint, LocalDate reportDate) {
        if (hint instanceof LocationHint.Commune commune) {
            return resolveCode(commune.code(), reportDate);
        }
        if (hint instanceof LocationHint.FormerDistrict district) {
            return resolveFormerDistrict(district.code(), reportDate);
        }
        if (hint instanceof LocationHint.FreeText) {
            return ResolvedLocation.unresolved(LocationRule.FREE_TEXT);
        }
        return ResolvedLocation.unresolved(LocationRule.NO_HINT);
    }

    /** The version of {@code code} valid on {@code date}. */
    public Optional<AdminUnit> unitOn(String code, LocalDate date) {
        return unitsByCode.getOrDefault(code, List.of()).stream().filter(unit -> unit.validOn(date)).findFirst();
    }

    /** The unit with this identity. */
    public Optional<AdminUnit> unit(UnitRef ref) {
        return Optional.ofNullable(unitsByRef.get(ref));
    }

    /** The service area with this code. */
    public Optional<ServiceArea> area(String code) {
        return Optional.ofNullable(areasByCode.get(code));
    }

    /** The service area covering a unit. */
    public Optional<ServiceArea> areaOf(UnitRef unit) {
        return Optional.ofNullable(areaByUnit.get(unit));
    }

    /** The former district of a unit: itself for a district, its link otherwise. */
    public Optional<String> formerDistrictOf(UnitRef ref) {
        AdminUnit unit = unitsByRef.get(ref);
        if (unit != null && unit.level() == UnitLevel.DISTRICT) {
            return Optional.of(unit.code());
        }
        return Optional.ofNullable(formerDistrictByUnit.get(ref));
    }

    /** All service areas, in the order given. */
    public List<ServiceArea> areas() {
        return List.copyOf(areasByCode.values());
    }

    private ResolvedLocation resolveCode(String code, LocalDate date) {
        Optional<AdminUnit> valid = unitOn(code, date);
        if (valid.isPresent()) {
            return located(valid.get().ref(), LocationRule.COMMUNE_VALID_ON_DATE);
        }
        for (AdminUnit version : unitsByCode.getOrDefault(code, List.of())) {
            for (String successor : version.successorCodes()) {
                Optional<AdminUnit> next = unitOn(successor, date);
                if (next.isPresent()) {
                    return located(next.get().ref(), LocationRule.SUCCESSOR_OF_HINTED_UNIT);
                }
            }
        }
        return ResolvedLocation.unresolved(LocationRule.UNKNOWN_CODE);
    }

    private ResolvedLocation resolveFormerDistrict(String code, LocalDate date) {
        Optional<AdminUnit> district = unitsByCode.getOrDefault(code, List.of()).stream()
                .filter(unit -> unit.level() == UnitLevel.DISTRICT)
                .findFirst();
        if (district.isEmpty()) {
            return ResolvedLocation.unresolved(LocationRule.UNKNOWN_CODE);
        }
        UnitRef ref = district.get().ref();
        Optional<String> area = areaOf(ref).map(ServiceArea::code);
        if (district.get().validOn(date)) {
            return new ResolvedLocation(Optional.of(ref), area, Optional.of(code), LocationRule.FORMER_DISTRICT_UNIT);
        }
        return new ResolvedLocation(Optional.empty(), area, Optional.of(code), LocationRule.FORMER_DISTRICT_AREA);
    }

    private ResolvedLocation located(UnitRef ref, LocationRule rule) {
        return new ResolvedLocation(
                Optional.of(ref), areaOf(ref).map(ServiceArea::code), formerDistrictOf(ref), rule);
    }

    private void requireKnown(UnitRef ref) {
        if (!unitsByRef.containsKey(ref)) {
            throw new IllegalArgumentException("unknown unit " + ref.key());
        }
    }
}
