package vn.hotline.routing.decision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import vn.hotline.ivr.triage.Consents;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.ivr.triage.Urgency;
import vn.hotline.routing.calendar.StatutoryClocks;
import vn.hotline.routing.calendar.StatutoryDeadline;
import vn.hotline.routing.jurisdiction.Jurisdictions;
import vn.hotline.routing.jurisdiction.ResolvedLocation;
import vn.hotline.routing.roster.Officer;
import vn.hotline.routing.roster.RosterSnapshot;
import vn.hotline.routing.roster.Shift;
import vn.hotline.routing.roster.ShiftRole;
import vn.hotline.routing.roster.Skill;

/** The pure routing decision: triage result + roster snapshot + jurisdictions + clock -> {@link RoutingDecision}. */
public final class RoutingEngine {

    private final RoutingPolicy policy;
    private final StatutoryClocks clocks;
    private final ZoneId zone;

    /** An engine deciding in the business {@code zone} (Asia/Ho_Chi_Minh). */
    public RoutingEngine(RoutingPolicy policy, StatutoryClocks clocks, ZoneId zone) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clocks = Objects.requireNonNull(clocks, "clocks");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /**
     * Decides for a report received at {@code receivedAt}: the location is resolved on the report date and the
     * statutory clocks start then; the rota is read at {@code clock.instant()} (a delayed SMS or 111 referral goes
     * to whoever is on duty now).
     */
    public RoutingDecision decide(
            TriageResult triage, Instant receivedAt, RosterSnapshot roster, Jurisdictions jurisdictions,
            Clock clock) {
        Instant now = clock.instant();
        List<Reason> reasons = new ArrayList<>();
        ResolvedLocation location = jurisdictions.resolve(triage.locationHint(), receivedAt.atZone(zone).toLocalDate());
        reasons.add(location.serviceArea().isPresent()
                ? new Reason(ReasonCode.LOCATION_RESOLVED, location.rule() + ": unit "
                        + location.unit().map(unit -> unit.key()).orElse("none") + ", service area "
                        + location.serviceArea().get())
                : new Reason(ReasonCode.LOCATION_UNRESOLVED, location.rule().name()));

        Ladder ladder = new Ladder(rungTimeout(triage.urgency()), reasons);
        boolean nobodyOnCall;
        if (triage.urgency() == Urgency.IMMEDIATE) {
            reasons.add(new Reason(ReasonCode.EMERGENCY_LADDER, "IMMEDIATE: provincial emergency rota"));
            Optional<Officer> emergency = pick(roster, ShiftRole.EMERGENCY, Optional.empty(), triage, now, reasons);
            emergency.ifPresent(officer -> ladder.add(RungKind.EMERGENCY_ON_CALL, officer));
            nobodyOnCall = emergency.isEmpty();
            if (nobodyOnCall) {
                reasons.add(new Reason(ReasonCode.NOBODY_ON_CALL, "no EMERGENCY shift at " + now));
            }
        } else {
            reasons.add(new Reason(ReasonCode.AREA_LADDER, triage.urgency() + ": service area on-call officer"));
            Optional<String> area = location.serviceArea();
            Optional<Officer> onCall = area.flatMap(
                    code -> pick(roster, ShiftRole.ON_CALL, area, triage, now, reasons));
            onCall.ifPresent(officer -> ladder.add(RungKind.AREA_ON_CALL, officer));
            nobodyOnCall = onCall.isEmpty();
            if (nobodyOnCall) {
                reasons.add(new Reason(ReasonCode.NOBODY_ON_CALL, area.isPresent()
                        ? "no ON_CALL shift in area " + area.get() + " at " + now
                        : "no service area, so no area officer"));
            }
            Optional<Officer> backup = area.flatMap(code -> first(roster, ShiftRole.BACKUP, area, now));
            backup.ifPresent(officer -> ladder.add(RungKind.AREA_BACKUP, officer));
            if (backup.isEmpty() && area.isPresent()) {
                reasons.add(new Reason(ReasonCode.BACKUP_MISSING, "no BACKUP shift in area " + area.get()));
            }
        }
        Optional<Officer> supervisor = first(roster, ShiftRole.DUTY_SUPERVISOR, Optional.empty(), now);
        supervisor.ifPresent(officer -> ladder.add(RungKind.DUTY_SUPERVISOR, officer));
        if (supervisor.isEmpty()) {
            reasons.add(new Reason(ReasonCode.NO_DUTY_SUPERVISOR, "no DUTY_SUPERVISOR shift at " + now));
        }
        ladder.addNational111();

        Acknowledgement acknowledgement = acknowledgement(triage.urgency(), now, reasons);
        List<StatutoryDeadline> deadlines = deadlines(triage.urgency(), receivedAt, reasons);
        List<CoReferral> referrals = coReferrals(triage, reasons);
        return new RoutingDecision(receivedAt, now, location, ladder.rungs.get(0), nobodyOnCall, ladder.rungs,
                policy.channels().get(triage.urgency()), acknowledgement, deadlines, referrals, reasons);
    }

    private Optional<Duration> rungTimeout(Urgency urgency) {
        return urgency == Urgency.IMMEDIATE ? Optional.of(policy.liveRungTimeout())
                : policy.acknowledgeWithin(urgency);
    }

    /** The on-duty officer preferred by skill, then by the caller's language, then by shift order. */
    private Optional<Officer> pick(RosterSnapshot roster, ShiftRole role, Optional<String> area, TriageResult triage,
            Instant now, List<Reason> reasons) {
        List<Shift> shifts = roster.onDuty(role, area, now);
        if (shifts.isEmpty()) {
            return Optional.empty();
        }
        Optional<Skill> skill = policy.skillFor(triage.category());
        Officer best = null;
        int bestScore = -1;
        for (Shift shift : shifts) {
            Officer officer = roster.officer(shift.officerId()).orElseThrow();
            int score = (skill.isPresent() && officer.skills().contains(skill.get()) ? 2 : 0)
                    + (officer.languages().contains(triage.language()) ? 1 : 0);
            if (score > bestScore) {
                best = officer;
                bestScore = score;
            }
        }
        String where = role + area.map(code -> " in area " + code).orElse("");
        if (skill.isEmpty()) {
            reasons.add(new Reason(ReasonCode.ON_CALL_NO_SKILL_NEEDED,
                    best.id() + ": first of " + shifts.size() + " " + where + ", " + triage.category()
                            + " needs no skill"));
        } else if (bestScore >= 2) {
            reasons.add(new Reason(ReasonCode.ON_CALL_WITH_SKILL,
                    best.id() + ": has " + skill.get() + ", among " + shifts.size() + " " + where));
        } else {
            reasons.add(new Reason(ReasonCode.ON_CALL_WITHOUT_SKILL,
                    best.id() + ": none of " + shifts.size() + " " + where + " has " + skill.get()));
        }
        if (!best.languages().contains(triage.language())) {
            reasons.add(new Reason(ReasonCode.LANGUAGE_NOT_SPOKEN,
                    best.id() + " does not speak " + triage.language().tag()));
        }
        return Optional.of(best);
    }

    private static Optional<Officer> first(RosterSnapshot roster, ShiftRole role, Optional<String> area,
            Instant now) {
        return roster.onDuty(role, area, now).stream().findFirst()
                .flatMap(shift -> roster.officer(shift.officerId()));
    }

    private Acknowledgement acknowledgement(Urgency urgency, Instant now, List<Reason> reasons) {
        Optional<Duration> within = policy.acknowledgeWithin(urgency);
        AckMode mode = within.isEmpty() ? AckMode.NONE
                : urgency == Urgency.IMMEDIATE ? AckMode.LIVE_ANSWER : AckMode.CONSOLE;
        Optional<Instant> deadline = within.map(now::plus);
        reasons.add(new Reason(ReasonCode.ACKNOWLEDGEMENT, urgency + ": " + mode
                + within.map(duration -> " within " + duration).orElse("")));
        return new Acknowledgement(mode, deadline);
    }

    private List<StatutoryDeadline> deadlines(Urgency urgency, Instant receivedAt, List<Reason> reasons) {
        if (urgency == Urgency.INFO) {
            return List.of();
        }
        List<StatutoryDeadline> deadlines = new ArrayList<>();
        if (urgency.atLeast(Urgency.HIGH)) {
            deadlines.add(clocks.emergencyProtection(receivedAt));
        }
        deadlines.add(clocks.supportPlan(receivedAt));
        for (StatutoryDeadline deadline : deadlines) {
            reasons.add(new Reason(ReasonCode.STATUTORY_CLOCKS, deadline.clock() + " due " + deadline.dueAt()
                    + " (" + deadline.clock().legalBasis() + ")"));
            if (deadline.provisional()) {
                reasons.add(new Reason(ReasonCode.CALENDAR_PROVISIONAL,
                        deadline.clock() + " counted over a provisional or uncovered calendar year"));
            }
        }
        return deadlines;
    }

    private List<CoReferral> coReferrals(TriageResult triage, List<Reason> reasons) {
        if (triage.urgency() == Urgency.INFO) {
            return List.of();
        }
        Consents consents = triage.consents();
        List<CoReferral> referrals = new ArrayList<>();
        for (ReferralRule rule : policy.referrals()) {
            if (rule.category() != triage.category()) {
                continue;
            }
            Optional<ReferralBasis> basis = switch (rule.condition()) {
                case ALWAYS -> Optional.of(ReferralBasis.SERVICE);
                case POLICE_CONSENT_OR_LEGAL_DUTY -> Optional.of(Boolean.TRUE.equals(consents.shareWithPolice())
                        ? ReferralBasis.CONSENT : ReferralBasis.LEGAL_DUTY);
                case POLICE_CONSENT -> Boolean.TRUE.equals(consents.shareWithPolice())
                        ? Optional.of(ReferralBasis.CONSENT) : Optional.empty();
                case SCHOOL_CONSENT -> Boolean.TRUE.equals(consents.contactSchool())
                        ? Optional.of(ReferralBasis.CONSENT) : Optional.empty();
            };
            if (basis.isPresent()) {
                referrals.add(new CoReferral(rule.agency(), basis.get()));
                reasons.add(new Reason(ReasonCode.CO_REFERRAL,
                        rule.agency() + " for " + rule.category() + " on " + basis.get()));
            } else {
                reasons.add(new Reason(ReasonCode.CO_REFERRAL_WITHHELD,
                        rule.agency() + " for " + rule.category() + ": no consent (" + rule.condition() + ")"));
            }
        }
        return referrals;
    }

    /** Builds the ladder, numbering rungs and never putting the same officer on it twice. */
    private static final class Ladder {
        private final List<Rung> rungs = new ArrayList<>();
        private final Set<String> officers = new HashSet<>();
        private final Optional<Duration> timeout;
        private final List<Reason> reasons;

        Ladder(Optional<Duration> timeout, List<Reason> reasons) {
            this.timeout = timeout;
            this.reasons = reasons;
        }

        void add(RungKind kind, Officer officer) {
            if (!officers.add(officer.id())) {
                reasons.add(new Reason(ReasonCode.SAME_OFFICER_SKIPPED, kind + ": " + officer.id()
                        + " is already on the ladder"));
                return;
            }
            rungs.add(new Rung(rungs.size() + 1, kind, Optional.of(officer.id()), Optional.of(officer.phone()),
                    timeout));
        }

        void addNational111() {
            rungs.add(new Rung(rungs.size() + 1, RungKind.NATIONAL_111, Optional.empty(), Optional.empty(),
                    Optional.empty()));
            reasons.add(new Reason(ReasonCode.NATIONAL_111_LAST_RUNG,
                    "ladder of " + rungs.size() + " rungs ends at 111"));
        }
    }
}
