package vn.hotline.routing.decision;

import java.util.Objects;

/**
 * A co-referral the gateway should open (through the outbox).
 *
 * @param agency who to refer to
 * @param basis why it may be made
 */
public record CoReferral(Agency agency, ReferralBasis basis) {

    public CoReferral {
        Objects.requireNonNull(agency, "agency");
        Objects.requireNonNull(basis, "basis");
    }
}
