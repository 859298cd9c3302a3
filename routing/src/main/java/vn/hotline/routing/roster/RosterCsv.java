package vn.hotline.routing.roster;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import vn.hotline.ivr.triage.Language;
import vn.hotline.routing.csv.Csv;
import vn.hotline.routing.csv.CsvRow;
import vn.hotline.routing.csv.CsvSyntaxException;
import vn.hotline.routing.roster.LineError.Code;

/**
 * Reads and writes the roster as two CSV texts (officers, shifts); shift times are local date-times in the business
 * zone. Import validates every line and returns either the whole roster or every line error.
 */
public final class RosterCsv {

    /** The header of the officers CSV. */
    public static final List<String> OFFICER_HEADER =
            List.of("officer_id", "name", "service_areas", "skills", "phone_ref", "languages");
    /** The header of the shifts CSV. */
    public static final List<String> SHIFT_HEADER = List.of("officer_id", "role", "service_area", "start", "end");

    private static final String OFFICERS = "officers";
    private static final String SHIFTS = "shifts";
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT);

    private final ZoneId zone;
    private final Set<String> knownAreas;

    /** A reader and writer for shifts in {@code zone}, accepting only the given service area codes. */
    public RosterCsv(ZoneId zone, Set<String> knownAreas) {
        this.zone = zone;
        this.knownAreas = Set.copyOf(knownAreas);
    }

    /** Parses both texts; any bad line in either rejects the whole import. */
    public RosterImport parse(String officersCsv, String shiftsCsv) {
        List<LineError> errors = new ArrayList<>();
        Map<String, Officer> officers = new LinkedHashMap<>();
        List<CsvRow> officerRows = readOrReport(OFFICERS, officersCsv, errors).orElse(null);
        if (officerRows != null && checkHeader(OFFICERS, officerRows, OFFICER_HEADER, errors)) {
            for (CsvRow row : officerRows.subList(1, officerRows.size())) {
                parseOfficer(row, officers, errors);
            }
        }
        List<Shift> shifts = new ArrayList<>();
        List<CsvRow> shiftRows = readOrReport(SHIFTS, shiftsCsv, errors).orElse(null);
        if (shiftRows != null && checkHeader(SHIFTS, shiftRows, SHIFT_HEADER, errors)) {
            for (CsvRow row : shiftRows.subList(1, shiftRows.size())) {
                parseShift(row, officers, errors).ifPresent(shifts::add);
            }
        }
        if (!errors.isEmpty()) {
            return new RosterImport.Rejected(errors);
        }
        return new RosterImport.Accepted(new Roster(List.copyOf(officers.values()), shifts));
    }

    /** The officers CSV of a roster, header first, sets in a stable order. */
    public String exportOfficers(Roster roster) {
        StringBuilder out = new StringBuilder(Csv.line(OFFICER_HEADER)).append('\n');
        for (Officer officer : roster.officers()) {
            out.append(Csv.line(List.of(officer.id(), officer.name(),
                    joined(officer.serviceAreas(), Function.identity()),
                    joined(officer.skills(), Skill::name),
                    officer.phone().value(),
                    joined(officer.languages(), Language::tag)))).append('\n');
        }
        return out.toString();
    }

    /** The shifts CSV of a roster, in business-zone local time. */
    public String exportShifts(Roster roster) {
        StringBuilder out = new StringBuilder(Csv.line(SHIFT_HEADER)).append('\n');
        for (Shift shift : roster.shifts()) {
            out.append(Csv.line(List.of(shift.officerId(), shift.role().name(), shift.serviceArea().orElse(""),
                    LOCAL.format(shift.start().atZone(zone)), LOCAL.format(shift.end().atZone(zone))))).append('\n');
        }
        return out.toString();
    }

    /** The rows of a file, or none with the syntax error reported (so a truncated file never imports in part). */
    private static Optional<List<CsvRow>> readOrReport(String file, String text, List<LineError> errors) {
        try {
            return Optional.of(Csv.read(text));
        } catch (CsvSyntaxException e) {
            errors.add(LineError.of(file, e.line(), Code.CSV_SYNTAX, e.getMessage()));
            return Optional.empty();
        }
    }

    private static boolean checkHeader(String file, List<CsvRow> rows, List<String> header, List<LineError> errors) {
        if (rows.isEmpty()) {
            errors.add(LineError.of(file, 1, Code.HEADER_MISSING, String.join(",", header)));
            return false;
        }
        List<String> found = rows.get(0).fields().stream().map(String::strip).toList();
        if (!found.equals(header)) {
            errors.add(LineError.of(file, rows.get(0).line(), Code.HEADER_WRONG, String.join(",", found),
                    String.join(",", header)));
            return false;
        }
        return true;
    }

    private void parseOfficer(CsvRow row, Map<String, Officer> officers, List<LineError> errors) {
        List<Problem> problems = new ArrayList<>();
        List<String> f = fields(row, OFFICER_HEADER.size(), problems);
        if (f != null) {
            String id = f.get(0);
            if (id.isEmpty()) {
                problems.add(new Problem(Code.OFFICER_ID_EMPTY));
            } else if (officers.containsKey(id)) {
                problems.add(new Problem(Code.OFFICER_ID_TWICE, id));
            }
            if (f.get(1).isEmpty()) {
                problems.add(new Problem(Code.NAME_EMPTY));
            }
            Set<String> areas = split(f.get(2));
            areas.stream().filter(area -> !knownAreas.contains(area))
                    .forEach(area -> problems.add(new Problem(Code.AREA_UNKNOWN, "service_areas", area)));
            Set<Skill> skills = new LinkedHashSet<>();
            for (String skill : split(f.get(3))) {
                try {
                    skills.add(Skill.valueOf(skill));
                } catch (IllegalArgumentException e) {
                    problems.add(new Problem(Code.SKILL_UNKNOWN, skill));
                }
            }
            if (f.get(4).isEmpty()) {
                problems.add(new Problem(Code.PHONE_EMPTY));
            }
            Set<Language> languages = new LinkedHashSet<>();
            for (String tag : split(f.get(5))) {
                Optional<Language> language = Arrays.stream(Language.values())
                        .filter(candidate -> candidate.tag().equals(tag)).findFirst();
                language.ifPresentOrElse(languages::add, () -> problems.add(new Problem(Code.LANGUAGE_UNKNOWN, tag)));
            }
            if (languages.isEmpty() && problems.stream().noneMatch(p -> p.code() == Code.LANGUAGE_UNKNOWN)) {
                problems.add(new Problem(Code.LANGUAGES_EMPTY));
            }
            if (problems.isEmpty()) {
                officers.put(id, new Officer(id, f.get(1), areas, skills, new PhoneRef(f.get(4)), languages));
            }
        }
        problems.forEach(problem -> errors.add(LineError.of(OFFICERS, row.line(), problem.code(), problem.args())));
    }

    private Optional<Shift> parseShift(CsvRow row, Map<String, Officer> officers, List<LineError> errors) {
        List<Problem> problems = new ArrayList<>();
        List<String> f = fields(row, SHIFT_HEADER.size(), problems);
        Shift shift = null;
        if (f != null) {
            Officer officer = officers.get(f.get(0));
            if (officer == null) {
                problems.add(new Problem(Code.SHIFT_OFFICER_UNKNOWN, f.get(0)));
            }
            ShiftRole role = null;
            try {
                role = ShiftRole.valueOf(f.get(1));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(Code.ROLE_UNKNOWN, f.get(1), Arrays.toString(ShiftRole.values())));
            }
            Optional<String> area = f.get(2).isEmpty() ? Optional.empty() : Optional.of(f.get(2));
            if (role != null && role.areaBound() && area.isEmpty()) {
                problems.add(new Problem(Code.AREA_REQUIRED, role.name()));
            }
            if (role != null && !role.areaBound() && area.isPresent()) {
                problems.add(new Problem(Code.AREA_FORBIDDEN, role.name()));
            }
            if (area.isPresent() && !knownAreas.contains(area.get())) {
                problems.add(new Problem(Code.AREA_UNKNOWN, "service_area", area.get()));
            } else if (area.isPresent() && officer != null && !officer.serviceAreas().contains(area.get())) {
                problems.add(new Problem(Code.AREA_NOT_COVERED, area.get(), officer.id()));
            }
            Instant start = instant("start", f.get(3), problems);
            Instant end = instant("end", f.get(4), problems);
            if (start != null && end != null && !end.isAfter(start)) {
                problems.add(new Problem(Code.TIME_ORDER, f.get(4), f.get(3)));
            }
            if (problems.isEmpty()) {
                shift = new Shift(officer.id(), role, area, start, end);
            }
        }
        problems.forEach(problem -> errors.add(LineError.of(SHIFTS, row.line(), problem.code(), problem.args())));
        return Optional.ofNullable(shift);
    }

    /** What is wrong with a line, before it is known which file's error it becomes. */
    private record Problem(Code code, String... args) {
    }

    private static List<String> fields(CsvRow row, int expected, List<Problem> problems) {
        if (row.fields().size() != expected) {
            problems.add(new Problem(Code.COLUMNS, String.valueOf(expected), String.valueOf(row.fields().size())));
            return null;
        }
        return row.fields().stream().map(String::strip).toList();
    }

    private Instant instant(String column, String value, List<Problem> problems) {
        try {
            return LocalDateTime.parse(value, LOCAL).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            problems.add(new Problem(Code.TIME_INVALID, column, value.isEmpty() ? "empty" : value));
            return null;
        }
    }

    private static Set<String> split(String value) {
        Set<String> parts = new LinkedHashSet<>();
        for (String part : value.split(";")) {
            if (!part.isBlank()) {
                parts.add(part.strip());
            }
        }
        return parts;
    }

    private static <T> String joined(Set<T> values, Function<T, String> code) {
        return values.stream().map(code).sorted(Comparator.naturalOrder()).collect(Collectors.joining(";"));
    }
}
