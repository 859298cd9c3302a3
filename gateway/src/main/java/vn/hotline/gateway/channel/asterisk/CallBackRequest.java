package vn.hotline.gateway.channel.asterisk;

import java.util.Optional;
import java.util.UUID;

/**
 * A request for a call-back.
 *
 * @param caseReference the case whose caller is called back
 * @param officerId the officer whose phone rings first; an officer asking for themselves leaves it empty
 * @param nightOverride the officer decided to call back at night although the case is not urgent
 */
public record CallBackRequest(String caseReference, Optional<UUID> officerId, boolean nightOverride) {
}
