package vn.hotline.routing.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Consents;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.ivr.triage.Urgency;
import vn.hotline.routing.calendar.StatutoryClock;
import vn.hotline.routing.calendar.StatutoryClocks;
import vn.hotline.routing.calendar.WorkingCalendar;
import vn.hotline.routing.jurisdiction.AdminUnitFixtures;
import vn.hotline.routing.jurisdiction.Jurisdictions;
import vn.hotline.routing.jurisdiction.LocationRule;
import vn.hotline.routing.roster.Officer;
import vn.hotline.routing.roster.PhoneRef;
import vn.hotline.routing.roster.Roster;
import vn.hotline.routing.roster.RosterSnapshot;
import vn.hotline.routing.roster.Shift;
import vn.hotline.routing.roster.ShiftRole;
import vn.hotline.routing.roster.Skill;

class RoutingEngineTest {

    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    /** Thursday 12 Feb 2026, two days before the Tết break (Sat 14 .. Sun 22 Feb). */
    private static final Instant RECEIVED = ZonedDateTime.of(2026, 2, 12, 9, 58, 0, 0, VIETNAM).toInstant();
    private static final Instant NOW = ZonedDateTime.of(2026, 2, 12, 10, 0, 0, 0, VIETNAM).toInstant();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneId.of("Pacific/Chatham"));
    private static final Instant DAY_START = ZonedDateTime.of(2026, 2, 12, 0, 0, 0, 0, VIETNAM).toInstant();
    private static final Instant DAY_END = DAY_START.plus(Duration.ofDays(1));
    private static final Instant EIGHT_AM = DAY_START.plus(Duration.ofHours(8));

    private static final Jurisdictions JURISDICTIONS = AdminUnitFixtures.jurisdictions();
    private static final RoutingEngine ENGINE = new RoutingEngine(RoutingPolicy.defaults(),
            new StatutoryClocks(WorkingCalendar.vietnam(), VIETNAM), VIETNAM);

    /** The rota situation at 10:00 on the report day, in area 550 (Tuy Phước) and province-wide. */
    enum Rota {
        /** Generalist and specialist on call, backup, emergency officer and supervisor all on shift. */
        ON_CALL,
        /** The on-call and emergency shifts ended at 08:00; backup and supervisor still on. */
        OFF_SHIFT,
        /** On call as usual, but no backup shift. */
        BACKUP_MISSING,
        /** Nobody at all on shift. */
        NOBODY
    }

    /** Expected ladder by urgency (IMMEDIATE or not) and rota: the table the decision must follow. */
    private static final Map<Rota, List<RungKind>> EMERGENCY_LADDERS = Map.of(
            Rota.ON_CALL, List.of(RungKind.EMERGENCY_ON_CALL, RungKind.DUTY_SUPERVISOR, RungKind.NATIONAL_111),
            Rota.OFF_SHIFT, List.of(RungKind.DUTY_SUPERVISOR, RungKind.NATIONAL_111),
            Rota.BACKUP_MISSING, List.of(RungKind.EMERGENCY_ON_CALL, RungKind.DUTY_SUPERVISOR, RungKind.NATIONAL_111),
            Rota.NOBODY, List.of(RungKind.NATIONAL_111));
    private static final Map<Rota, List<RungKind>> AREA_LADDERS = Map.of(
            Rota.ON_CALL, List.of(RungKind.AREA_ON_CALL, RungKind.AREA_BACKUP, RungKind.DUTY_SUPERVISOR,
                    RungKind.NATIONAL_111),
            Rota.OFF_SHIFT, List.of(RungKind.AREA_BACKUP, RungKind.DUTY_SUPERVISOR, RungKind.NATIONAL_111),
            Rota.BACKUP_MISSING, List.of(RungKind.AREA_ON_CALL, RungKind.DUTY_SUPERVISOR, RungKind.NATIONAL_111),
            Rota.NOBODY, List.of(RungKind.NATIONAL_111));

    /** Expected co-referrals per category when no consent question was asked (urgency other than INFO). */
    private static final Map<Category, List<CoReferral>> REFERRALS_WITHOUT_CONSENT = Map.of(
            Category.ONLINE_SEXUAL_ABUSE, List.of(
                    new CoReferral(Agency.POLICE_CYBER_UNIT, ReferralBasis.LEGAL_DUTY),
                    new CoReferral(Agency.INFORMATION_DEPARTMENT, ReferralBasis.SERVICE),
                    new CoReferral(Agency.SOCIAL_ASSISTANCE_CENTRE, ReferralBasis.SERVICE)),
            Category.CYBERBULLYING, List.of(),
            Category.ONLINE_SCAM, List.of(),
            Category.HARMFUL_CONTENT, List.of(new CoReferral(Agency.INFORMATION_DEPARTMENT, ReferralBasis.SERVICE)),
            Category.PRIVACY_LEAK, List.of(new CoReferral(Agency.INFORMATION_DEPARTMENT, ReferralBasis.SERVICE)),
            Category.VIOLENCE_ABUSE, List.of(new CoReferral(Agency.SOCIAL_ASSISTANCE_CENTRE, ReferralBasis.SERVICE)),
            Category.NEGLECT, List.of(),
            Category.MENTAL_HEALTH, List.of(new CoReferral(Agency.SOCIAL_ASSISTANCE_CENTRE, ReferralBasis.SERVICE)),
            Category.INFORMATION, List.of(),
            Category.UNKNOWN, List.of());

    /** Acknowledgement per urgency, from the decision instant (10:00). */
    private static final Map<Urgency, Acknowledgement> ACKS = Map.of(
            Urgency.IMMEDIATE, new Acknowledgement(AckMode.LIVE_ANSWER, Optional.of(NOW.plus(Duration.ofMinutes(5)))),
            Urgency.HIGH, new Acknowledgement(AckMode.CONSOLE, Optional.of(NOW.plus(Duration.ofMinutes(30)))),
            Urgency.NORMAL, new Acknowledgement(AckMode.CONSOLE, Optional.of(NOW.plus(Duration.ofHours(4)))),
            Urgency.INFO, new Acknowledgement(AckMode.NONE, Optional.empty()));

    /**
     * Statutory deadlines for a report received Thu 12 Feb 2026 09:58 (+07:00).
     * Emergency protection: 09:58 + 12 h = 21:58 local = 14:58Z.
     * Support plan: the day of receipt is not counted. Day 1 = Fri 13 Feb; Sat 14 .. Sun 22 Feb are the Tết days
     * off; day 2 = Mon 23, day 3 = Tue 24, day 4 = Wed 25, day 5 = Thu 26 Feb. Due at the end of Thu 26 Feb:
     * 2026-02-27T00:00+07:00 = 2026-02-26T17:00Z.
     */
    private static final Instant EMERGENCY_DUE = Instant.parse("2026-02-12T14:58:00Z");
    private static final Instant SUPPORT_PLAN_DUE = Instant.parse("2026-02-26T17:00:00Z");

    static Stream<Arguments> everyCategoryUrgencyAndRota() {
        List<Arguments> rows = new ArrayList<>();
        for (Category category : Category.values()) {
            for (Urgency urgency : Urgency.values()) {
                for (Rota rota : Rota.values()) {
                    rows.add(Arguments.of(category, urgency, rota));
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyCategoryUrgencyAndRota")
    void decisionFollowsTheTables(Category category, Urgency urgency, Rota rota) {
        RoutingDecision decision = ENGINE.decide(
                triage(category, urgency, Consents.NONE, Language.VI), RECEIVED, roster(rota), JURISDICTIONS, CLOCK);

        List<RungKind> expectedLadder = (urgency == Urgency.IMMEDIATE ? EMERGENCY_LADDERS : AREA_LADDERS).get(rota);
        assertThat(decision.ladder()).extracting(Rung::kind).containsExactlyElementsOf(expectedLadder);
        assertThat(decision.ladder()).extracting(Rung::step)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, expectedLadder.size()).boxed()
                        .toList());
        assertThat(decision.primary()).isEqualTo(decision.ladder().get(0));
        assertThat(decision.ladder().get(decision.ladder().size() - 1).kind()).isEqualTo(RungKind.NATIONAL_111);
        assertThat(decision.nobodyOnCall()).isEqualTo(rota == Rota.OFF_SHIFT || rota == Rota.NOBODY);
        assertThat(decision.reasons()).extracting(Reason::code)
                .contains(decision.nobodyOnCall() ? ReasonCode.NOBODY_ON_CALL : ReasonCode.LOCATION_RESOLVED);

        if (urgency != Urgency.IMMEDIATE && (rota == Rota.ON_CALL || rota == Rota.BACKUP_MISSING)) {
            boolean skilled = RoutingPolicy.defaults().skillFor(category).isPresent();
            assertThat(decision.primary().officerId()).contains(skilled ? "spec" : "gen");
            assertThat(decision.reasons()).extracting(Reason::code).contains(
                    skilled ? ReasonCode.ON_CALL_WITH_SKILL : ReasonCode.ON_CALL_NO_SKILL_NEEDED);
        }
        if (rota == Rota.BACKUP_MISSING && urgency != Urgency.IMMEDIATE) {
            assertThat(decision.reasons()).extracting(Reason::code).contains(ReasonCode.BACKUP_MISSING);
        }
        Optional<Duration> officerTimeout = urgency == Urgency.IMMEDIATE ? Optional.of(Duration.ofSeconds(30))
                : RoutingPolicy.defaults().acknowledgeWithin(urgency);
        decision.ladder().stream().filter(rung -> rung.kind() != RungKind.NATIONAL_111)
                .forEach(rung -> assertThat(rung.answerWithin()).isEqualTo(officerTimeout));

        assertThat(decision.acknowledgement()).isEqualTo(ACKS.get(urgency));
        assertThat(decision.channels()).isEqualTo(RoutingPolicy.defaults().channels().get(urgency));
        assertThat(decision.coReferrals()).containsExactlyElementsOf(
                urgency == Urgency.INFO ? List.of() : REFERRALS_WITHOUT_CONSENT.get(category));

        assertThat(decision.deadline(StatutoryClock.EMERGENCY_PROTECTION_12H).map(d -> d.dueAt()))
                .isEqualTo(urgency.atLeast(Urgency.HIGH) ? Optional.of(EMERGENCY_DUE) : Optional.empty());
        assertThat(decision.deadline(StatutoryClock.SUPPORT_PLAN_5_WORKING_DAYS).map(d -> d.dueAt()))
                .isEqualTo(urgency == Urgency.INFO ? Optional.empty() : Optional.of(SUPPORT_PLAN_DUE));
        assertThat(decision.location().serviceArea()).contains("550");
        assertThat(decision.receivedAt()).isEqualTo(RECEIVED);
        assertThat(decision.decidedAt()).isEqualTo(NOW);
    }

    @Test
    void consentsOpenThePoliceAndSchoolReferralsAndTheirAbsenceIsExplained() {
        Consents yes = Consents.NONE.withShareWithPolice(true).withContactSchool(true);
        Consents no = Consents.NONE.withShareWithPolice(false).withContactSchool(false);

        assertThat(referrals(Category.ONLINE_SCAM, yes))
                .containsExactly(new CoReferral(Agency.POLICE_CYBER_UNIT, ReferralBasis.CONSENT));
        assertThat(referrals(Category.CYBERBULLYING, yes))
                .containsExactly(new CoReferral(Agency.SCHOOL, ReferralBasis.CONSENT));
        assertThat(referrals(Category.ONLINE_SEXUAL_ABUSE, yes))
                .contains(new CoReferral(Agency.POLICE_CYBER_UNIT, ReferralBasis.CONSENT));
        assertThat(referrals(Category.ONLINE_SEXUAL_ABUSE, no))
                .contains(new CoReferral(Agency.POLICE_CYBER_UNIT, ReferralBasis.LEGAL_DUTY));

        RoutingDecision bullying = ENGINE.decide(triage(Category.CYBERBULLYING, Urgency.NORMAL, no, Language.VI),
                RECEIVED, roster(Rota.ON_CALL), JURISDICTIONS, CLOCK);
        assertThat(bullying.coReferrals()).isEmpty();
        assertThat(bullying.reasons()).contains(new Reason(ReasonCode.CO_REFERRAL_WITHHELD,
                "SCHOOL for CYBERBULLYING: no consent (SCHOOL_CONSENT)"));
    }

    @Test
    void whenNoOnCallOfficerHasTheSkillTheFirstIsChosenAndTheReasonSaysSo() {
        Roster roster = new Roster(
                List.of(officer("gen", Set.of()), officer("gen2", Set.of()), officer("sup", Set.of())),
                List.of(shift("gen", ShiftRole.ON_CALL, DAY_START), shift("gen2", ShiftRole.ON_CALL, DAY_START),
                        shift("sup", ShiftRole.DUTY_SUPERVISOR, DAY_START)));

        RoutingDecision decision = ENGINE.decide(triage(Category.ONLINE_SCAM, Urgency.HIGH, Consents.NONE,
                Language.VI), RECEIVED, RosterSnapshot.of(roster), JURISDICTIONS, CLOCK);

        assertThat(decision.primary().officerId()).contains("gen");
        assertThat(decision.reasons()).contains(new Reason(ReasonCode.ON_CALL_WITHOUT_SKILL,
                "gen: none of 2 ON_CALL in area 550 has ONLINE_SCAM"));
    }

    @Test
    void anEnglishSpeakingCallerGetsTheEnglishSpeakingSpecialistWhenTwoHaveTheSkill() {
        Officer viOnly = officer("vi", Set.of(Skill.COUNSELLING));
        Officer bilingual = new Officer("en", "en", Set.of("550"), Set.of(Skill.COUNSELLING), new PhoneRef("ph-en"),
                Set.of(Language.VI, Language.EN));
        Roster roster = new Roster(List.of(viOnly, bilingual),
                List.of(shift("vi", ShiftRole.ON_CALL, DAY_START), shift("en", ShiftRole.ON_CALL, DAY_START)));

        RoutingDecision decision = ENGINE.decide(triage(Category.MENTAL_HEALTH, Urgency.NORMAL, Consents.NONE,
                Language.EN), RECEIVED, RosterSnapshot.of(roster), JURISDICTIONS, CLOCK);

        assertThat(decision.primary().officerId()).contains("en");
    }

    @Test
    void anOfficerWhoIsBothOnCallAndBackupAppearsOnceOnTheLadder() {
        Roster roster = new Roster(List.of(officer("gen", Set.of())),
                List.of(shift("gen", ShiftRole.ON_CALL, DAY_START), shift("gen", ShiftRole.BACKUP, DAY_START)));

        RoutingDecision decision = ENGINE.decide(triage(Category.NEGLECT, Urgency.NORMAL, Consents.NONE,
                Language.VI), RECEIVED, RosterSnapshot.of(roster), JURISDICTIONS, CLOCK);

        assertThat(decision.ladder()).extracting(Rung::kind)
                .containsExactly(RungKind.AREA_ON_CALL, RungKind.NATIONAL_111);
        assertThat(decision.reasons()).extracting(Reason::code).contains(ReasonCode.SAME_OFFICER_SKIPPED);
    }

    @Test
    void anUnresolvedLocationGoesStraightToTheDutySupervisor() {
        TriageResult freeText = new TriageResult(Channel.SMS, Language.VI, Urgency.HIGH, Category.VIOLENCE_ABUSE,
                ReporterRole.CHILD, AgeBand.AGE_11_15, new LocationHint.FreeText("gần chợ"), Consents.NONE,
                Optional.empty(), List.of());

        RoutingDecision decision = ENGINE.decide(freeText, RECEIVED, roster(Rota.ON_CALL), JURISDICTIONS, CLOCK);

        assertThat(decision.location().rule()).isEqualTo(LocationRule.FREE_TEXT);
        assertThat(decision.nobodyOnCall()).isTrue();
        assertThat(decision.primary().kind()).isEqualTo(RungKind.DUTY_SUPERVISOR);
        assertThat(decision.reasons()).contains(new Reason(ReasonCode.LOCATION_UNRESOLVED, "FREE_TEXT"));
    }

    @Test
    void theLocationFollowsTheReportDateWhileTheRotaFollowsTheDecisionInstant() {
        // A 111 referral received on 30 June 2025 (last day of the districts) is routed on 1 July 2025.
        Instant received = ZonedDateTime.of(2025, 6, 30, 23, 50, 0, 0, VIETNAM).toInstant();
        Instant decided = ZonedDateTime.of(2025, 7, 1, 0, 10, 0, 0, VIETNAM).toInstant();
        Roster roster = new Roster(List.of(officer("gen", Set.of())),
                List.of(new Shift("gen", ShiftRole.ON_CALL, Optional.of("540"), decided.minusSeconds(60),
                        decided.plusSeconds(3600))));
        TriageResult triage = new TriageResult(Channel.SWITCHBOARD, Language.VI, Urgency.NORMAL, Category.NEGLECT,
                ReporterRole.OTHER, AgeBand.UNKNOWN, new LocationHint.Commune("21553"), Consents.NONE,
                Optional.empty(), List.of());

        RoutingDecision decision = ENGINE.decide(triage, received, RosterSnapshot.of(roster), JURISDICTIONS,
                Clock.fixed(decided, VIETNAM));

        assertThat(decision.location().unit().orElseThrow().key()).isEqualTo("21553@open");
        assertThat(decision.primary().officerId()).contains("gen");
    }

    private static List<CoReferral> referrals(Category category, Consents consents) {
        return ENGINE.decide(triage(category, Urgency.HIGH, consents, Language.VI), RECEIVED, roster(Rota.ON_CALL),
                JURISDICTIONS, CLOCK).coReferrals();
    }

    private static TriageResult triage(Category category, Urgency urgency, Consents consents, Language language) {
        return new TriageResult(Channel.ASTERISK_VOICE, language, urgency, category, ReporterRole.CHILD,
                AgeBand.AGE_11_15, new LocationHint.FormerDistrict("550"), consents, Optional.empty(),
                List.of("greeting", "danger", "category", "location"));
    }

    private static RosterSnapshot roster(Rota rota) {
        List<Officer> officers = List.of(officer("gen", Set.of()),
                officer("spec", EnumSet.allOf(Skill.class)), officer("bak", Set.of()), officer("emg", Set.of()),
                officer("sup", Set.of()));
        Instant onCallEnd = rota == Rota.OFF_SHIFT ? EIGHT_AM : DAY_END;
        List<Shift> shifts = new ArrayList<>();
        if (rota != Rota.NOBODY) {
            shifts.add(new Shift("gen", ShiftRole.ON_CALL, Optional.of("550"), DAY_START, onCallEnd));
            shifts.add(new Shift("spec", ShiftRole.ON_CALL, Optional.of("550"), DAY_START, onCallEnd));
            shifts.add(new Shift("emg", ShiftRole.EMERGENCY, Optional.empty(), DAY_START, onCallEnd));
            shifts.add(shift("sup", ShiftRole.DUTY_SUPERVISOR, DAY_START));
            if (rota != Rota.BACKUP_MISSING) {
                shifts.add(shift("bak", ShiftRole.BACKUP, DAY_START));
            }
        }
        return RosterSnapshot.of(new Roster(officers, shifts));
    }

    private static Officer officer(String id, Set<Skill> skills) {
        return new Officer(id, id, Set.of("550", "540"), skills, new PhoneRef("ph-" + id), Set.of(Language.VI));
    }

    private static Shift shift(String id, ShiftRole role, Instant start) {
        Optional<String> area = role.areaBound() ? Optional.of("550") : Optional.empty();
        return new Shift(id, role, area, start, start.plus(Duration.ofDays(1)));
    }

}
