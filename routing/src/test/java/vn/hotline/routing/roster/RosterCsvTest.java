package vn.hotline.routing.roster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.hotline.ivr.triage.Language;

class RosterCsvTest {

    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    private final RosterCsv csv = new RosterCsv(VIETNAM, Set.of("540", "550"));

    private static final String OFFICERS = """
            officer_id,name,service_areas,skills,phone_ref,languages
            o1,"Nguyễn Thị An, CPO",550,ONLINE_SEXUAL_ABUSE;COUNSELLING,ph-001,vi;en
            o2,Trần Văn Bình,550;540,CHILD_PROTECTION,ph-002,vi
            sup,Lê Thu Hà,,COUNSELLING,ph-009,vi
            """;

    private static final String SHIFTS = """
            officer_id,role,service_area,start,end
            o1,ON_CALL,550,2026-02-12T07:00,2026-02-12T19:00
            o2,BACKUP,550,2026-02-12T00:00,2026-02-13T00:00
            sup,DUTY_SUPERVISOR,,2026-02-12T00:00,2026-02-13T00:00
            """;

    @Test
    void aValidRosterIsAcceptedWithShiftsInTheBusinessZone() {
        RosterImport result = csv.parse(OFFICERS, SHIFTS);

        assertThat(result).isInstanceOf(RosterImport.Accepted.class);
        Roster roster = ((RosterImport.Accepted) result).roster();
        assertThat(roster.officers()).hasSize(3);
        assertThat(roster.officers().get(0).name()).isEqualTo("Nguyễn Thị An, CPO");
        assertThat(roster.officers().get(0).languages()).containsExactlyInAnyOrder(Language.VI, Language.EN);
        assertThat(roster.shifts().get(0)).isEqualTo(new Shift("o1", ShiftRole.ON_CALL, Optional.of("550"),
                Instant.parse("2026-02-12T00:00:00Z"), Instant.parse("2026-02-12T12:00:00Z")));
    }

    @Test
    void exportThenImportGivesTheSameRoster() {
        Roster roster = ((RosterImport.Accepted) csv.parse(OFFICERS, SHIFTS)).roster();

        RosterImport again = csv.parse(csv.exportOfficers(roster), csv.exportShifts(roster));

        assertThat(again).isEqualTo(new RosterImport.Accepted(roster));
        assertThat(csv.exportShifts(roster)).contains("o1,ON_CALL,550,2026-02-12T07:00,2026-02-12T19:00");
    }

    @Test
    void everyBadLineIsReportedWithItsNumberAndNothingIsAccepted() {
        String officers = """
                officer_id,name,service_areas,skills,phone_ref,languages
                o1,Nguyễn Thị An,550,ONLINE_SEXUAL_ABUSE,ph-001,vi
                o1,Duplicate,550,,ph-002,vi
                o3,Wrong Area,999,TELEPATHY,ph-003,fr

                o4,Too few columns,550
                o5,No phone,550,,,vi
                """;
        String shifts = """
                officer_id,role,service_area,start,end
                o1,ON_CALL,550,2026-02-12T07:00,2026-02-12T19:00
                o1,ON_CALL,540,2026-02-12T07:00,2026-02-12T19:00
                o3,BACKUP,550,2026-02-12T07:00,2026-02-12T19:00
                o1,EMERGENCY,550,2026-02-12T07:00,2026-02-12T06:00
                o1,NAP,550,12/02/2026,2026-02-12T19:00
                o1,ON_CALL,,2026-02-12T07:00,2026-02-12T19:00
                """;

        RosterImport result = csv.parse(officers, shifts);

        assertThat(result).isInstanceOf(RosterImport.Rejected.class);
        assertThat(((RosterImport.Rejected) result).errors()).extracting(LineError::file, LineError::line, LineError::message)
                .containsExactly(
                        tuple("officers", 3, "officer_id o1 appears twice"),
                        tuple("officers", 4, "service_areas: unknown area 999"),
                        tuple("officers", 4, "skills: unknown skill TELEPATHY"),
                        tuple("officers", 4, "languages: unknown language fr"),
                        tuple("officers", 6, "expected 6 columns, found 3"),
                        tuple("officers", 7, "phone_ref is empty"),
                        tuple("shifts", 3, "service_area 540 is not covered by officer o1"),
                        tuple("shifts", 4, "officer_id o3 is not a valid line of the officers file"),
                        tuple("shifts", 5, "service_area must be empty for EMERGENCY"),
                        tuple("shifts", 5, "end 2026-02-12T06:00 is not after start 2026-02-12T07:00"),
                        tuple("shifts", 6, "role: unknown role NAP, expected one of "
                                + "[ON_CALL, BACKUP, EMERGENCY, DUTY_SUPERVISOR]"),
                        tuple("shifts", 6, "start: 12/02/2026 is not a local date-time like 2026-02-12T07:00"),
                        tuple("shifts", 7, "service_area is required for ON_CALL"));
        assertThat(((RosterImport.Rejected) result).errors().get(0))
                .as("the code and its values, for the console's own words")
                .extracting(LineError::code, LineError::args)
                .containsExactly(LineError.Code.OFFICER_ID_TWICE, List.of("o1"));
    }

    @Test
    void anUnterminatedQuoteRejectsTheWholeFileNamingTheLineItStarts() {
        String truncated = OFFICERS + "o9,\"Trần Văn, cut off here\n";
        RosterImport result = csv.parse(truncated, SHIFTS);
        assertThat(result).isInstanceOf(RosterImport.Rejected.class);
        var errors = ((RosterImport.Rejected) result).errors();
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.file()).isEqualTo("officers");
            assertThat(e.message()).contains("unterminated");
        });
    }

    @Test
    void aWrongHeaderIsReportedOnLineOne() {
        RosterImport result = csv.parse("id,name\n", SHIFTS);

        assertThat(((RosterImport.Rejected) result).errors()).first()
                .extracting(LineError::file, LineError::line, LineError::message)
                .containsExactly("officers", 1,
                        "header is id,name, expected officer_id,name,service_areas,skills,phone_ref,languages");
    }
}
