package vn.hotline.routing.decision;

import java.util.Objects;
import vn.hotline.ivr.triage.Category;

/**
 * Policy data: refer cases of {@code category} to {@code agency} when {@code condition} holds.
 *
 * @param category the triage category
 * @param agency who to refer to
 * @param condition when it applies
 */
public record ReferralRule(Category category, Agency agency, ReferralCondition condition) {

    public ReferralRule {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(agency, "agency");
        Objects.requireNonNull(condition, "condition");
    }
}
