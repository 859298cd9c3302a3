package vn.hotline.gateway.audit;

import java.util.Objects;

/**
 * What was acted on.
 *
 * @param type e.g. {@code case}, {@code call}, {@code referral}, {@code user}, {@code roster}
 * @param id its identifier (a case reference, a call id): never personal data
 */
public record Subject(String type, String id) {

    public Subject {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }
}
