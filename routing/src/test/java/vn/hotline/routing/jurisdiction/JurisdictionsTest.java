package vn.hotline.routing.jurisdiction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import vn.hotline.ivr.triage.LocationHint;

class JurisdictionsTest {

    private static final LocalDate IN_2024 = LocalDate.of(2024, 11, 5);
    private static final LocalDate IN_2026 = LocalDate.of(2026, 3, 2);
    private final Jurisdictions jurisdictions = AdminUnitFixtures.jurisdictions();

    @Test
    void defaultAreasAreTheTwentyEightFormerDistrictsCoveringAllCommunes() {
        assertThat(jurisdictions.areas()).hasSize(28);
        long communes2025 = AdminUnitFixtures.units().stream()
                .filter(unit -> unit.validFrom().isPresent()).count();
        assertThat(communes2025).isEqualTo(135);
        assertThat(jurisdictions.area("550").orElseThrow().name()).isEqualTo("Tuy Phước");
        assertThat(jurisdictions.areas().stream().mapToInt(area -> area.units().size()).sum())
                .isEqualTo(28 + 159 + 135);
    }

    @Test
    void aReportIn2024KeepsTheFormerCommuneCode() {
        ResolvedLocation location = jurisdictions.resolve(new LocationHint.Commune("21553"), IN_2024);

        assertThat(location.rule()).isEqualTo(LocationRule.COMMUNE_VALID_ON_DATE);
        assertThat(location.unit()).contains(new UnitRef("21553", Optional.empty()));
        assertThat(jurisdictions.unit(location.unit().orElseThrow()).orElseThrow().name()).isEqualTo("Nhơn Phú");
        assertThat(location.serviceArea()).contains("540");
        assertThat(location.formerDistrictCode()).contains("540");
    }

    @Test
    void aReportIn2026TakesThe2025UnitWithTheSameCode() {
        ResolvedLocation location = jurisdictions.resolve(new LocationHint.Commune("21553"), IN_2026);

        assertThat(location.unit()).contains(new UnitRef("21553", Optional.of(AdminUnitFixtures.REFORM_DAY)));
        assertThat(jurisdictions.unit(location.unit().orElseThrow()).orElseThrow().name()).isEqualTo("Quy Nhơn Bắc");
        assertThat(location.serviceArea()).contains("540");
    }

    @Test
    void theReformDayItselfBelongsToTheNewEraAndTheDayBeforeToTheOld() {
        assertThat(jurisdictions.resolve(new LocationHint.Commune("21553"), AdminUnitFixtures.REFORM_DAY).unit())
                .contains(new UnitRef("21553", Optional.of(AdminUnitFixtures.REFORM_DAY)));
        assertThat(jurisdictions.resolve(
                new LocationHint.Commune("21553"), AdminUnitFixtures.LAST_DAY_OF_DISTRICTS).unit())
                .contains(new UnitRef("21553", Optional.empty()));
    }

    @Test
    void aFormerCommuneCodeWithoutA2025UnitResolvesThroughItsSuccessorOnlyWhenOneIsRecorded() {
        // 21556 Đống Đa kept no code of its own in 2025 and has no recorded successor in the fixture data.
        assertThat(jurisdictions.resolve(new LocationHint.Commune("21556"), IN_2026).rule())
                .isEqualTo(LocationRule.UNKNOWN_CODE);

        List<AdminUnit> units = new ArrayList<>(AdminUnitFixtures.units());
        units.replaceAll(unit -> unit.code().equals("21556") && unit.validFrom().isEmpty()
                ? new AdminUnit(unit.code(), unit.name(), unit.level(), unit.parentCode(), unit.validFrom(),
                        unit.validTo(), List.of("21553"))
                : unit);
        Jurisdictions corrected = Jurisdictions.withDefaultAreas(units, AdminUnitFixtures.links());

        ResolvedLocation location = corrected.resolve(new LocationHint.Commune("21556"), IN_2026);
        assertThat(location.rule()).isEqualTo(LocationRule.SUCCESSOR_OF_HINTED_UNIT);
        assertThat(location.unit()).contains(new UnitRef("21553", Optional.of(AdminUnitFixtures.REFORM_DAY)));
    }

    @Test
    void aFormerDistrictIsItsOwnUnitIn2024AndItsServiceAreaIn2026() {
        ResolvedLocation before = jurisdictions.resolve(new LocationHint.FormerDistrict("550"), IN_2024);
        ResolvedLocation after = jurisdictions.resolve(new LocationHint.FormerDistrict("550"), IN_2026);

        assertThat(before.rule()).isEqualTo(LocationRule.FORMER_DISTRICT_UNIT);
        assertThat(before.unit()).contains(new UnitRef("550", Optional.empty()));
        assertThat(before.serviceArea()).contains("550");
        assertThat(after.rule()).isEqualTo(LocationRule.FORMER_DISTRICT_AREA);
        assertThat(after.unit()).isEmpty();
        assertThat(after.serviceArea()).contains("550");
        assertThat(after.formerDistrictCode()).contains("550");
    }

    @Test
    void nothingFreeTextAndUnknownCodesStayUnresolved() {
        assertThat(jurisdictions.resolve(LocationHint.NONE, IN_2026).rule()).isEqualTo(LocationRule.NO_HINT);
        assertThat(jurisdictions.resolve(new LocationHint.FreeText("gần chợ"), IN_2026).rule())
                .isEqualTo(LocationRule.FREE_TEXT);
        assertThat(jurisdictions.resolve(new LocationHint.Commune("99999"), IN_2026).rule())
                .isEqualTo(LocationRule.UNKNOWN_CODE);
        assertThat(jurisdictions.resolve(new LocationHint.FormerDistrict("999"), IN_2026).rule())
                .isEqualTo(LocationRule.UNKNOWN_CODE);
    }

    @Test
    void anAdministratorsCorrectedLinkMovesA2025CommuneToAnotherArea() {
        UnitRef quyNhonBac = new UnitRef("21553", Optional.of(AdminUnitFixtures.REFORM_DAY));
        List<FormerDistrictLink> links = new ArrayList<>(AdminUnitFixtures.links());
        links.replaceAll(link -> link.unit().equals(quyNhonBac) ? new FormerDistrictLink(quyNhonBac, "550") : link);

        Jurisdictions corrected = Jurisdictions.withDefaultAreas(AdminUnitFixtures.units(), links);

        ResolvedLocation location = corrected.resolve(new LocationHint.Commune("21553"), IN_2026);
        assertThat(location.serviceArea()).contains("550");
        assertThat(location.formerDistrictCode()).contains("550");
        assertThat(corrected.resolve(new LocationHint.Commune("21553"), IN_2024).serviceArea()).contains("540");
    }

    @Test
    void aUnitInTwoAreasIsRejected() {
        UnitRef district = new UnitRef("550", Optional.empty());
        List<ServiceArea> areas = List.of(
                new ServiceArea("A", "A", java.util.Set.of(district)),
                new ServiceArea("B", "B", java.util.Set.of(district)));

        assertThatThrownBy(() -> Jurisdictions.of(AdminUnitFixtures.units(), AdminUnitFixtures.links(), areas))
                .hasMessageContaining("550@open");
    }
}
