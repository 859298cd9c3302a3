package vn.hotline.routing.roster;

import java.util.Objects;
import java.util.Set;
import vn.hotline.ivr.triage.Language;

/**
 * A child-protection officer.
 *
 * @param id stable identifier (the gateway's user id or staff number)
 * @param name display name
 * @param serviceAreas codes of the service areas the officer covers
 * @param skills what the officer is trained for
 * @param phone opaque reference to the encrypted phone number
 * @param languages languages the officer speaks with callers
 */
public record Officer(
        String id, String name, Set<String> serviceAreas, Set<Skill> skills, PhoneRef phone, Set<Language> languages) {

    public Officer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(phone, "phone");
        serviceAreas = Set.copyOf(serviceAreas);
        skills = Set.copyOf(skills);
        languages = Set.copyOf(languages);
    }
}
