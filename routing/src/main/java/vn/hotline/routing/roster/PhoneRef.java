package vn.hotline.routing.roster;

import java.util.Objects;

/**
 * An opaque reference to an officer's phone (the gateway keeps the number encrypted; routing never sees it).
 *
 * @param value the gateway's key for the encrypted number
 */
public record PhoneRef(String value) {

    public PhoneRef {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("blank phone reference");
        }
    }
}
