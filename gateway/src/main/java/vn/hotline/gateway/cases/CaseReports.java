package vn.hotline.gateway.cases;

import java.time.Instant;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

/** Case counts for supervisors' reports, grouped by unit, service area or former district (across the 2025 reform). */
@Service
public class CaseReports {

    /** What to group by; each maps to a column the case kept from the day it was reported. */
    public enum GroupBy {
        UNIT("u.code"),
        SERVICE_AREA("c.service_area_code"),
        FORMER_DISTRICT("c.former_district_code");

        private final String column;

        GroupBy(String column) {
            this.column = column;
        }
    }

    /**
     * One row of a report.
     *
     * @param group the unit, area or former district code ({@code UNKNOWN} when the location was not resolved)
     * @param category the case category
     * @param urgency the urgency
     * @param cases how many cases
     */
    public record Row(String group, String category, String urgency, long cases) {
    }

    private final DatabaseClient db;

    CaseReports(DatabaseClient db) {
        this.db = db;
    }

    /** Cases received in {@code [from, to)}, counted per group, category and urgency. */
    public Flux<Row> count(GroupBy groupBy, Instant from, Instant to) {
        return db.sql("SELECT coalesce(" + groupBy.column + ", 'UNKNOWN') AS grp, c.category, c.urgency, count(*) AS n "
                        + "FROM cases c LEFT JOIN admin_units u ON u.id = c.admin_unit_id "
                        + "WHERE c.received_at >= :from AND c.received_at < :to "
                        + "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
                .bind("from", from.atOffset(ZoneOffset.UTC)).bind("to", to.atOffset(ZoneOffset.UTC))
                .map(row -> new Row(row.get("grp", String.class), row.get("category", String.class),
                        row.get("urgency", String.class), row.get("n", Long.class)))
                .all();
    }
}
