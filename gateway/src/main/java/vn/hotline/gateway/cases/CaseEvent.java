package vn.hotline.gateway.cases;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Optional;
import vn.hotline.gateway.privacy.Encrypted;

/**
 * One entry of a case's history.
 *
 * @param at when
 * @param actor who (a username, or the system component)
 * @param type TRANSITION, NOTE, ESCALATED, REFERRED, REASSIGNED, ...
 * @param from the status before, for transitions
 * @param to the status after, for transitions
 * @param reason why, where the form needs it
 * @param sealedNote the note as stored (never serialised)
 * @param note the decrypted note, for an authorised reader
 */
public record CaseEvent(Instant at, String actor, String type, Optional<String> from, Optional<String> to,
                        Optional<String> reason, @JsonIgnore Optional<Encrypted> sealedNote,
                        Optional<String> note) {

    /** The same event with its note opened. */
    public CaseEvent withNote(Optional<String> opened) {
        return new CaseEvent(at, actor, type, from, to, reason, sealedNote, opened);
    }
}
