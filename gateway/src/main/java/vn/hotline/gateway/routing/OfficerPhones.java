package vn.hotline.gateway.routing;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;

/** An active officer's phone number, decrypted only for the channel that dials or texts it, never stored or logged. */
@Service
public class OfficerPhones {

    private final DatabaseClient db;
    private final PersonalData personalData;

    OfficerPhones(DatabaseClient db, PersonalData personalData) {
        this.db = db;
        this.personalData = personalData;
    }

    /** The E.164 numbers of these officers, in one query; unknown or inactive officers are left out. */
    public Mono<Map<UUID, String>> numbers(Collection<UUID> officerIds) {
        if (officerIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("SELECT id, phone_cipher, phone_key_id FROM officers WHERE id = ANY(:ids) AND active")
                .bind("ids", officerIds.toArray(UUID[]::new))
                .map(r -> Map.entry(r.get(0, UUID.class),
                        personalData.reveal(r.get(1, byte[].class), r.get(2, String.class), DataField.OFFICER_PHONE)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** The officer's E.164 number; empty when the officer is unknown or inactive. */
    public Mono<String> number(UUID officerId) {
        return numbers(List.of(officerId)).flatMap(found -> Mono.justOrEmpty(found.get(officerId)));
    }
}
