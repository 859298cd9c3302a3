package vn.hotline.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Consents;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.ivr.triage.Urgency;
import vn.hotline.routing.calendar.StatutoryClocks;
import vn.hotline.routing.calendar.WorkingCalendar;
import vn.hotline.routing.decision.RoutingDecision;
import vn.hotline.routing.decision.RoutingEngine;
import vn.hotline.routing.decision.RoutingPolicy;
import vn.hotline.routing.jurisdiction.AdminUnit;
import vn.hotline.routing.jurisdiction.FormerDistrictLink;
import vn.hotline.routing.jurisdiction.Jurisdictions;
import vn.hotline.routing.jurisdiction.UnitLevel;
import vn.hotline.routing.roster.Officer;
import vn.hotline.routing.roster.PhoneRef;
import vn.hotline.routing.roster.Roster;
import vn.hotline.routing.roster.RosterSnapshot;
import vn.hotline.routing.roster.Shift;
import vn.hotline.routing.roster.ShiftRole;
import vn.hotline.routing.roster.Skill;

/**
 * Routing decisions with a province-size roster (200 officers, 135 communes, 28 areas, a month of 8-hour shifts)
 * beside a floor: a plain HashMap lookup of the area's first officer.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {

    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final int AREAS = 28;
    private static final int COMMUNES = 135;
    private static final int OFFICERS = 200;
    private static final int INPUTS = 1024;

    private RoutingEngine engine;
    private RosterSnapshot snapshot;
    private Jurisdictions jurisdictions;
    private Map<String, String> firstOfficerByArea;
    private TriageResult[] triages;
    private Instant[] instants;
    private String[] areaOfInput;
    private int next;

    @Setup
    public void setUp() {
        LocalDate reform = LocalDate.of(2025, 7, 1);
        List<AdminUnit> units = new ArrayList<>();
        List<FormerDistrictLink> links = new ArrayList<>();
        for (int d = 0; d < AREAS; d++) {
            units.add(new AdminUnit(district(d), "D" + d, UnitLevel.DISTRICT, "52", Optional.empty(),
                    Optional.of(reform.minusDays(1)), List.of()));
        }
        for (int c = 0; c < COMMUNES; c++) {
            AdminUnit commune = new AdminUnit(String.valueOf(21000 + c), "C" + c, UnitLevel.COMMUNE, "52",
                    Optional.of(reform), Optional.empty(), List.of());
            units.add(commune);
            links.add(new FormerDistrictLink(commune.ref(), district(c % AREAS)));
        }
        jurisdictions = Jurisdictions.withDefaultAreas(units, links);

        SplittableRandom random = new SplittableRandom(42);
        List<Officer> officers = new ArrayList<>();
        Skill[] skills = Skill.values();
        for (int o = 0; o < OFFICERS; o++) {
            Set<Skill> has = EnumSet.of(skills[o % skills.length], skills[(o * 3 + 1) % skills.length]);
            officers.add(new Officer("o" + o, "Officer " + o, Set.of(district(o % AREAS)), has,
                    new PhoneRef("ph-" + o), o % 5 == 0 ? Set.of(Language.VI, Language.EN) : Set.of(Language.VI)));
        }
        List<Shift> shifts = new ArrayList<>();
        Instant monthStart = ZonedDateTime.of(2026, 3, 1, 0, 0, 0, 0, VIETNAM).toInstant();
        firstOfficerByArea = new HashMap<>();
        for (int day = 0; day < 30; day++) {
            for (int slot = 0; slot < 3; slot++) {
                Instant start = monthStart.plus(Duration.ofHours(day * 24L + slot * 8L));
                Instant end = start.plus(Duration.ofHours(8));
                for (int a = 0; a < AREAS; a++) {
                    int base = a + AREAS * random.nextInt(OFFICERS / AREAS);
                    shifts.add(new Shift("o" + base, ShiftRole.ON_CALL, Optional.of(district(a)), start, end));
                    int second = a + AREAS * random.nextInt(OFFICERS / AREAS);
                    shifts.add(new Shift("o" + second, ShiftRole.ON_CALL, Optional.of(district(a)), start, end));
                    int backup = a + AREAS * random.nextInt(OFFICERS / AREAS);
                    shifts.add(new Shift("o" + backup, ShiftRole.BACKUP, Optional.of(district(a)), start, end));
                    firstOfficerByArea.putIfAbsent(district(a), "o" + base);
                }
                shifts.add(new Shift("o" + random.nextInt(OFFICERS), ShiftRole.EMERGENCY, Optional.empty(), start,
                        end));
                shifts.add(new Shift("o" + random.nextInt(OFFICERS), ShiftRole.DUTY_SUPERVISOR, Optional.empty(),
                        start, end));
            }
        }
        snapshot = RosterSnapshot.of(new Roster(officers, shifts));
        engine = new RoutingEngine(RoutingPolicy.defaults(),
                new StatutoryClocks(WorkingCalendar.vietnam(), VIETNAM), VIETNAM);

        triages = new TriageResult[INPUTS];
        instants = new Instant[INPUTS];
        areaOfInput = new String[INPUTS];
        Category[] categories = Category.values();
        Urgency[] urgencies = Urgency.values();
        for (int i = 0; i < INPUTS; i++) {
            int commune = random.nextInt(COMMUNES);
            LocationHint hint = i % 4 == 0 ? new LocationHint.FormerDistrict(district(commune % AREAS))
                    : new LocationHint.Commune(String.valueOf(21000 + commune));
            triages[i] = new TriageResult(Channel.ASTERISK_VOICE, Language.VI,
                    urgencies[random.nextInt(urgencies.length)], categories[random.nextInt(categories.length)],
                    ReporterRole.CHILD, AgeBand.AGE_11_15, hint, Consents.NONE, Optional.empty(), List.of());
            instants[i] = monthStart.plus(Duration.ofMinutes(random.nextInt(30 * 24 * 60)));
            areaOfInput[i] = district(commune % AREAS);
        }
    }

    /** One full routing decision. */
    @Benchmark
    public RoutingDecision decide() {
        int i = next++ & (INPUTS - 1);
        return engine.decide(triages[i], instants[i], snapshot, jurisdictions, Clock.fixed(instants[i], VIETNAM));
    }

    /** The floor: the area's first officer from a plain HashMap. */
    @Benchmark
    public String floorHashMapLookup() {
        int i = next++ & (INPUTS - 1);
        return firstOfficerByArea.get(areaOfInput[i]);
    }

    private static String district(int index) {
        return String.valueOf(600 + index);
    }
}
