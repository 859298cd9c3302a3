package vn.hotline.routing.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class WorkingCalendarTest {

    private static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    private final WorkingCalendar calendar = WorkingCalendar.vietnam();
    private final StatutoryClocks clocks = new StatutoryClocks(calendar, VIETNAM);

    @Test
    void tet2026DaysAreOffAndTheMakeUpSaturdayIsWorked() {
        for (int day = 14; day <= 22; day++) {
            assertThat(calendar.isWorkingDay(LocalDate.of(2026, 2, day))).as("Feb %d", day).isFalse();
        }
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 2, 13))).isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 2, 23))).isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 1, 2))).isFalse();
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 1, 10))).isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 8, 22))).isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.of(2026, 8, 31))).isFalse();
    }

    @Test
    void supportPlanDeadlineCrossesTet2026() {
        // Received Thursday 12 Feb 2026 10:00 in Vietnam. The day of receipt is not counted.
        // Day 1 = Fri 13 Feb; Sat 14 .. Sun 22 Feb are the Tết days off (9 days);
        // day 2 = Mon 23, day 3 = Tue 24, day 4 = Wed 25, day 5 = Thu 26 Feb.
        // Due at the end of Thu 26 Feb, i.e. 2026-02-27T00:00+07:00 = 2026-02-26T17:00Z.
        Instant received = ZonedDateTime.of(2026, 2, 12, 10, 0, 0, 0, VIETNAM).toInstant();

        StatutoryDeadline plan = clocks.supportPlan(received);

        assertThat(plan.dueDate()).isEqualTo(LocalDate.of(2026, 2, 26));
        assertThat(plan.dueAt()).isEqualTo(Instant.parse("2026-02-26T17:00:00Z"));
        assertThat(plan.provisional()).isFalse();
    }

    @Test
    void aLateNightReportBelongsToItsVietnameseDate() {
        // 23:30 on Friday 9 Jan 2026 in Vietnam is 16:30Z, already Saturday in Chatham (the JVM zone of the suite).
        // Day 1 = Sat 10 Jan (make-up working day), then Mon 12 .. Thu 15 are days 2..5.
        Instant received = ZonedDateTime.of(2026, 1, 9, 23, 30, 0, 0, VIETNAM).toInstant();

        assertThat(clocks.supportPlan(received).dueDate()).isEqualTo(LocalDate.of(2026, 1, 15));
    }

    @Test
    void emergencyProtectionIsTwelveHoursOfRealTimeEvenOverTet() {
        Instant received = Instant.parse("2026-02-16T20:00:00Z");

        StatutoryDeadline emergency = clocks.emergencyProtection(received);

        assertThat(emergency.dueAt()).isEqualTo(Instant.parse("2026-02-17T08:00:00Z"));
        assertThat(emergency.dueDate()).isEqualTo(LocalDate.of(2026, 2, 17));
    }

    @Test
    void deadlinesReachingAProvisionalOrUncoveredYearSaySo() {
        Instant lateDecember = ZonedDateTime.of(2026, 12, 30, 9, 0, 0, 0, VIETNAM).toInstant();
        Instant in2030 = ZonedDateTime.of(2030, 3, 4, 9, 0, 0, 0, VIETNAM).toInstant();

        assertThat(clocks.supportPlan(lateDecember).provisional()).isTrue();
        assertThat(clocks.supportPlan(in2030).provisional()).isTrue();
        assertThat(clocks.supportPlan(in2030).dueDate()).isEqualTo(LocalDate.of(2030, 3, 11));
    }

    @Test
    void everyShippedEntryNamesASourceAndUnconfirmedOnesSayWhy() {
        assertThat(calendar.entries()).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry.source()).isNotBlank();
            if (entry.status() == SourceStatus.UNCONFIRMED) {
                assertThat(entry.source()).contains("unconfirmed");
            }
        });
        assertThat(calendar.isConfirmed(2025)).isTrue();
        assertThat(calendar.isConfirmed(2026)).isTrue();
        assertThat(calendar.isConfirmed(2027)).isFalse();
    }
}
