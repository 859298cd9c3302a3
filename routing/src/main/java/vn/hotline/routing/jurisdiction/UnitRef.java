package vn.hotline.routing.jurisdiction;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity of an administrative unit: codes are reused across eras (2022 commune 21553 Nhơn Phú, 2025 unit
 * 21553 Quy Nhơn Bắc), so a unit is its code plus the first day of its validity ({@code validFrom} is empty when
 * the unit predates the data).
 *
 * @param code the General Statistics Office code
 * @param validFrom the first day the unit is valid, or empty when open
 */
public record UnitRef(String code, Optional<LocalDate> validFrom) {

    public UnitRef {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(validFrom, "validFrom");
    }

    /** A stable text key such as {@code 21553@2025-07-01} or {@code 21553@open}, for logs and grouping. */
    public String key() {
        return code + "@" + validFrom.map(LocalDate::toString).orElse("open");
    }
}
