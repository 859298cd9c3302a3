package vn.hotline.routing.jurisdiction;

import java.util.Objects;
import java.util.Optional;

/**
 * A location hint resolved on the report date: the unit the case keeps, its service area and former district (the
 * three keys reports group by).
 *
 * @param unit the unit valid on the report date, when one was found
 * @param serviceArea the code of the service area covering it
 * @param formerDistrictCode the pre-2025 district, for reports across the 2025 reform
 * @param rule which rule resolved it
 */
public record ResolvedLocation(
        Optional<UnitRef> unit, Optional<String> serviceArea, Optional<String> formerDistrictCode, LocationRule rule) {

    public ResolvedLocation {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(serviceArea, "serviceArea");
        Objects.requireNonNull(formerDistrictCode, "formerDistrictCode");
        Objects.requireNonNull(rule, "rule");
    }

    static ResolvedLocation unresolved(LocationRule rule) {
        return new ResolvedLocation(Optional.empty(), Optional.empty(), Optional.empty(), rule);
    }
}
