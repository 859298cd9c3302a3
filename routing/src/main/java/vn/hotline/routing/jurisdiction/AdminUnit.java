package vn.hotline.routing.jurisdiction;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One administrative unit in one validity period.
 *
 * @param code the General Statistics Office code (reused across eras)
 * @param name the unit's name, e.g. {@code Quy Nhơn Bắc}
 * @param level province, district or commune
 * @param parentCode the code of the parent unit (a 2022 commune's district; a 2025 commune's province)
 * @param validFrom first valid day, empty when the unit predates the data
 * @param validTo last valid day (inclusive), empty while still valid
 * @param successorCodes codes of the units that took over this one, valid the day after {@code validTo}
 */
public record AdminUnit(
        String code,
        String name,
        UnitLevel level,
        String parentCode,
        Optional<LocalDate> validFrom,
        Optional<LocalDate> validTo,
        List<String> successorCodes) {

    public AdminUnit {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(parentCode, "parentCode");
        Objects.requireNonNull(validFrom, "validFrom");
        Objects.requireNonNull(validTo, "validTo");
        successorCodes = List.copyOf(successorCodes);
        if (validFrom.isPresent() && validTo.isPresent() && validTo.get().isBefore(validFrom.get())) {
            throw new IllegalArgumentException("unit " + code + " ends before it starts");
        }
    }

    /** This unit's identity (code plus validity start). */
    public UnitRef ref() {
        return new UnitRef(code, validFrom);
    }

    /** True when the unit is valid on {@code date} (both ends inclusive). */
    public boolean validOn(LocalDate date) {
        return validFrom.map(from -> !date.isBefore(from)).orElse(true)
                && validTo.map(to -> !date.isAfter(to)).orElse(true);
    }
}
