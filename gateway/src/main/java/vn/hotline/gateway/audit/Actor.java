package vn.hotline.gateway.audit;

import java.util.Objects;

/**
 * Who acted: the system (a component), a staff user, a caller (by call id, never by number), or a provider.
 *
 * @param type SYSTEM, USER, CALLER or PROVIDER
 * @param id the component name, username, call id or provider name
 */
public record Actor(String type, String id) {

    public Actor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static Actor system(String component) {
        return new Actor("SYSTEM", component);
    }

    public static Actor user(String username) {
        return new Actor("USER", username);
    }

    public static Actor caller(String callId) {
        return new Actor("CALLER", callId);
    }

    public static Actor provider(String name) {
        return new Actor("PROVIDER", name);
    }
}
