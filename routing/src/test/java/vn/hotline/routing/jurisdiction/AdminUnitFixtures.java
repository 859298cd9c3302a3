package vn.hotline.routing.jurisdiction;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds the real Binh Dinh / Gia Lai units from the copied CSVs (no quoted fields in them, so a split suffices). */
public final class AdminUnitFixtures {

    public static final LocalDate LAST_DAY_OF_DISTRICTS = LocalDate.of(2025, 6, 30);
    public static final LocalDate REFORM_DAY = LocalDate.of(2025, 7, 1);

    private AdminUnitFixtures() {
    }

    /** The jurisdictions with default service areas (one per former district). */
    public static Jurisdictions jurisdictions() {
        return Jurisdictions.withDefaultAreas(units(), links());
    }

    public static List<AdminUnit> units() {
        List<String[]> communes2025 = rows("gia-lai-2025-communes.csv");
        Set<String> codes2025 = communes2025.stream().map(row -> row[0]).collect(Collectors.toSet());
        List<AdminUnit> units = new ArrayList<>();
        for (String[] row : rows("former-districts-2022.csv")) {
            List<String> successors = communes2025.stream()
                    .filter(commune -> commune[5].equals(row[0]))
                    .map(commune -> commune[0])
                    .toList();
            units.add(new AdminUnit(row[0], row[1], UnitLevel.DISTRICT, row[4], Optional.empty(),
                    Optional.of(LAST_DAY_OF_DISTRICTS), successors));
        }
        for (String[] row : rows("binh-dinh-2022-communes.csv")) {
            List<String> successors = codes2025.contains(row[0]) ? List.of(row[0]) : List.of();
            units.add(new AdminUnit(row[0], row[1], UnitLevel.COMMUNE, row[4], Optional.empty(),
                    Optional.of(LAST_DAY_OF_DISTRICTS), successors));
        }
        for (String[] row : communes2025) {
            units.add(new AdminUnit(row[0], row[1], UnitLevel.COMMUNE, row[4], Optional.of(REFORM_DAY),
                    Optional.empty(), List.of()));
        }
        return units;
    }

    public static List<FormerDistrictLink> links() {
        List<FormerDistrictLink> links = new ArrayList<>();
        for (String[] row : rows("binh-dinh-2022-communes.csv")) {
            links.add(new FormerDistrictLink(new UnitRef(row[0], Optional.empty()), row[4]));
        }
        for (String[] row : rows("gia-lai-2025-communes.csv")) {
            links.add(new FormerDistrictLink(new UnitRef(row[0], Optional.of(REFORM_DAY)), row[5]));
        }
        return links;
    }

    static List<String[]> rows(String file) {
        try (InputStream in = AdminUnitFixtures.class.getResourceAsStream("/admin-units/" + file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("\r?\n")).skip(1).filter(line -> !line.isBlank())
                    .map(line -> line.split(",", -1)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
