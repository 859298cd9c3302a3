package vn.hotline.gateway.routing;

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

    /** The officer's E.164 number; empty when the officer is unknown or inactive. */
    public Mono<String> number(UUID officerId) {
        return db.sql("SELECT phone_cipher, phone_key_id FROM officers WHERE id = :id AND active")
                .bind("id", officerId)
                .map(r -> personalData.reveal(r.get(0, byte[].class), r.get(1, String.class), DataField.OFFICER_PHONE))
                .one();
    }
}
