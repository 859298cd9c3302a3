package vn.hotline.gateway.security;

import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** Who a logged-in staff member is and which service areas they may see. */
@Service
public class StaffDirectory {

    private final DatabaseClient db;

    StaffDirectory(DatabaseClient db) {
        this.db = db;
    }

    /**
     * A staff member's scope.
     *
     * @param username the login name
     * @param displayName the name shown in the console
     * @param role their role
     * @param serviceAreas the areas an officer covers; empty for supervisors and admins, who see every area
     * @param officerId the officer record behind the account, when there is one
     */
    public record Staff(String username, String displayName, Role role, List<String> serviceAreas,
                        java.util.Optional<java.util.UUID> officerId) {

        /** Supervisors and admins see every area; officers their own areas and the cases assigned to them. */
        public boolean seesAllAreas() {
            return role != Role.OFFICER;
        }
    }

    /** The staff member behind a username, with their service areas. */
    public Mono<Staff> find(String username) {
        Mono<List<String>> areas = db.sql("""
                        SELECT a.service_area_code FROM users u
                        JOIN officer_service_areas a ON a.officer_id = u.officer_id
                        WHERE u.username = :username ORDER BY a.service_area_code""")
                .bind("username", username)
                .map(row -> row.get("service_area_code", String.class))
                .all().collectList();
        return db.sql("SELECT username, display_name, role, officer_id FROM users WHERE username = :username AND enabled")
                .bind("username", username)
                .map(row -> new Staff(row.get("username", String.class), row.get("display_name", String.class),
                        Role.valueOf(row.get("role", String.class)), List.of(),
                        java.util.Optional.ofNullable(row.get("officer_id", java.util.UUID.class))))
                .one()
                .zipWith(areas, (s, a) -> new Staff(s.username(), s.displayName(), s.role(),
                        s.role() == Role.OFFICER ? a : List.of(), s.officerId()));
    }
}
