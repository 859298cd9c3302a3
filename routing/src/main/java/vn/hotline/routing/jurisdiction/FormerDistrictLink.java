package vn.hotline.routing.jurisdiction;

import java.util.Objects;

/**
 * Administrator-correctable data: the former district a unit belongs to (for a 2025 commune, the district of the
 * former commune whose code it kept; for a 2022 commune, its district).
 *
 * @param unit the unit
 * @param formerDistrictCode the pre-2025 district code, e.g. {@code 550}
 */
public record FormerDistrictLink(UnitRef unit, String formerDistrictCode) {

    public FormerDistrictLink {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(formerDistrictCode, "formerDistrictCode");
    }
}
