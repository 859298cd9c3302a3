package vn.hotline.routing.jurisdiction;

import java.util.Objects;
import java.util.Set;

/**
 * A group of units that officers cover; by default one per former district, grouping the district itself, its
 * 2022 communes and its 2025 successor communes.
 *
 * @param code stable code (the former district code for default areas, e.g. {@code 550})
 * @param name display name, e.g. {@code Tuy Phước}
 * @param units the units in this area, across eras
 */
public record ServiceArea(String code, String name, Set<UnitRef> units) {

    public ServiceArea {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        units = Set.copyOf(units);
    }
}
