package vn.hotline.routing.decision;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Urgency;
import vn.hotline.routing.roster.Skill;

/**
 * The configurable part of routing.
 *
 * @param acknowledgeWithin per urgency, how long the assignee has to acknowledge (no entry: nothing to acknowledge)
 * @param liveRungTimeout for live ladders ({@code IMMEDIATE}), how long each rung rings before the next
 * @param channels per urgency, how the assignee is told
 * @param skillFor per category, the skill preferred in the on-call officer
 * @param referrals the co-referral rules
 */
public record RoutingPolicy(
        Map<Urgency, Duration> acknowledgeWithin,
        Duration liveRungTimeout,
        Map<Urgency, Set<NotifyChannel>> channels,
        Map<Category, Skill> skillFor,
        List<ReferralRule> referrals) {

    public RoutingPolicy {
        acknowledgeWithin = Map.copyOf(acknowledgeWithin);
        Objects.requireNonNull(liveRungTimeout, "liveRungTimeout");
        channels = Map.copyOf(channels);
        skillFor = Map.copyOf(skillFor);
        referrals = List.copyOf(referrals);
        for (Urgency urgency : Urgency.values()) {
            if (!channels.containsKey(urgency)) {
                throw new IllegalArgumentException("no notification channels for " + urgency);
            }
        }
    }

    /**
     * The defaults: {@code IMMEDIATE} answered live, 30 s per rung, escalation if nobody accepted within 5 min;
     * {@code HIGH} acknowledged within 30 min; {@code NORMAL} within 4 h; {@code INFO} nothing to acknowledge.
     */
    public static RoutingPolicy defaults() {
        Map<Urgency, Duration> ack = new EnumMap<>(Urgency.class);
        ack.put(Urgency.IMMEDIATE, Duration.ofMinutes(5));
        ack.put(Urgency.HIGH, Duration.ofMinutes(30));
        ack.put(Urgency.NORMAL, Duration.ofHours(4));
        Map<Urgency, Set<NotifyChannel>> channels = new EnumMap<>(Urgency.class);
        channels.put(Urgency.IMMEDIATE, Set.of(NotifyChannel.VOICE_CALL, NotifyChannel.CONSOLE));
        channels.put(Urgency.HIGH, Set.of(NotifyChannel.VOICE_CALL, NotifyChannel.SMS, NotifyChannel.CONSOLE));
        channels.put(Urgency.NORMAL, Set.of(NotifyChannel.SMS, NotifyChannel.CONSOLE));
        channels.put(Urgency.INFO, Set.of(NotifyChannel.CONSOLE));
        Map<Category, Skill> skills = new EnumMap<>(Category.class);
        skills.put(Category.ONLINE_SEXUAL_ABUSE, Skill.ONLINE_SEXUAL_ABUSE);
        skills.put(Category.CYBERBULLYING, Skill.CYBERBULLYING);
        skills.put(Category.ONLINE_SCAM, Skill.ONLINE_SCAM);
        skills.put(Category.HARMFUL_CONTENT, Skill.HARMFUL_CONTENT);
        skills.put(Category.PRIVACY_LEAK, Skill.PRIVACY);
        skills.put(Category.VIOLENCE_ABUSE, Skill.CHILD_PROTECTION);
        skills.put(Category.NEGLECT, Skill.CHILD_PROTECTION);
        skills.put(Category.MENTAL_HEALTH, Skill.COUNSELLING);
        List<ReferralRule> referrals = List.of(
                new ReferralRule(Category.ONLINE_SEXUAL_ABUSE, Agency.POLICE_CYBER_UNIT,
                        ReferralCondition.POLICE_CONSENT_OR_LEGAL_DUTY),
                new ReferralRule(Category.ONLINE_SEXUAL_ABUSE, Agency.INFORMATION_DEPARTMENT, ReferralCondition.ALWAYS),
                new ReferralRule(Category.ONLINE_SEXUAL_ABUSE, Agency.SOCIAL_ASSISTANCE_CENTRE,
                        ReferralCondition.ALWAYS),
                new ReferralRule(Category.ONLINE_SCAM, Agency.POLICE_CYBER_UNIT, ReferralCondition.POLICE_CONSENT),
                new ReferralRule(Category.HARMFUL_CONTENT, Agency.INFORMATION_DEPARTMENT, ReferralCondition.ALWAYS),
                new ReferralRule(Category.PRIVACY_LEAK, Agency.INFORMATION_DEPARTMENT, ReferralCondition.ALWAYS),
                new ReferralRule(Category.CYBERBULLYING, Agency.SCHOOL, ReferralCondition.SCHOOL_CONSENT),
                new ReferralRule(Category.VIOLENCE_ABUSE, Agency.SOCIAL_ASSISTANCE_CENTRE, ReferralCondition.ALWAYS),
                new ReferralRule(Category.MENTAL_HEALTH, Agency.SOCIAL_ASSISTANCE_CENTRE, ReferralCondition.ALWAYS));
        return new RoutingPolicy(ack, Duration.ofSeconds(30), channels, skills, referrals);
    }

    /** The acknowledgement window for an urgency, empty when there is nothing to acknowledge. */
    public Optional<Duration> acknowledgeWithin(Urgency urgency) {
        return Optional.ofNullable(acknowledgeWithin.get(urgency));
    }

    /** The skill preferred for a category, empty when any officer will do. */
    public Optional<Skill> skillFor(Category category) {
        return Optional.ofNullable(skillFor.get(category));
    }
}
