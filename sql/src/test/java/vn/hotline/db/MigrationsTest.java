package vn.hotline.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.hotline.db.TestPostgres.TestDatabase;

class MigrationsTest {

    private static TestDatabase db;
    private static int applied;

    @BeforeAll
    static void migrateAnEmptyDatabase() {
        db = TestPostgres.get().newEmptyDatabase();
        applied = DatabaseMigrations.migrate(db.jdbcUrl(), TestPostgres.OWNER_ROLE, TestPostgres.OWNER_PASSWORD, TestPostgres.APP_ROLE);
    }

    @Test
    void allMigrationsApplyToAnEmptyDatabase() throws SQLException {
        assertThat(applied).isGreaterThanOrEqualTo(2);
        List<String> tables = strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
        assertThat(tables).contains("admin_units", "service_areas", "service_area_units", "officers", "officer_service_areas",
                "rota_shifts", "users", "calls", "ivr_sessions", "cases", "case_events", "referrals", "outbox", "audit_events",
                "audit_seals", "node_leases", "switchboard_inbound");
    }

    @Test
    void referenceDataHoldsBothErasOfUnitsAndTheFormerDistrictAreas() throws SQLException {
        assertThat(number("SELECT count(*) FROM admin_units WHERE level = 'COMMUNE' AND valid_from = '2025-07-01'")).isEqualTo(135);
        assertThat(number("SELECT count(*) FROM admin_units WHERE level = 'COMMUNE' AND valid_to = '2025-06-30'")).isEqualTo(159);
        assertThat(number("SELECT count(*) FROM admin_units WHERE level = 'DISTRICT'")).isEqualTo(28);
        assertThat(number("SELECT count(*) FROM service_areas WHERE kind = 'FORMER_DISTRICT'")).isEqualTo(28);
        // Every commune valid today belongs to exactly one default area.
        assertThat(number("""
                SELECT count(*) FROM admin_units u
                WHERE u.valid_to IS NULL AND u.level = 'COMMUNE'
                  AND (SELECT count(*) FROM service_area_units s WHERE s.admin_unit_id = u.id) <> 1""")).isZero();
        // A code reused across eras names two different units: Nhơn Phú (2022) and Quy Nhơn Bắc (2025).
        assertThat(strings("SELECT name FROM admin_units WHERE code = '21553' ORDER BY valid_from"))
                .containsExactly("Nhơn Phú", "Quy Nhơn Bắc");
        assertThat(strings("SELECT a.name FROM service_area_units s JOIN service_areas a ON a.code = s.service_area_code "
                + "JOIN admin_units u ON u.id = s.admin_unit_id WHERE u.code = '21553' AND u.valid_from = '2025-07-01'"))
                .containsExactly("Quy Nhơn");
    }

    @Test
    void applicationRoleIsNotASuperuserAndCannotChangeAuditEvents() throws SQLException {
        try (Connection app = db.asApp(); Statement s = app.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
            rs.next();
            assertThat(rs.getBoolean(1)).isFalse();
            s.executeUpdate("INSERT INTO audit_events (occurred_at, actor_type, actor_id, action, subject_type, subject_id) "
                    + "VALUES (now(), 'SYSTEM', 'test', 'TEST', 'test', '1')");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_events SET action = 'FORGED'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_events"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE audit_events"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void triggersRefuseChangesToAuditEventsEvenForTheOwner() throws SQLException {
        try (Connection owner = db.asOwner(); Statement s = owner.createStatement()) {
            s.executeUpdate("INSERT INTO audit_events (occurred_at, actor_type, actor_id, action, subject_type, subject_id) "
                    + "VALUES (now(), 'SYSTEM', 'test', 'TEST', 'test', '2')");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_events SET action = 'FORGED'"))
                    .hasMessageContaining("insert-only");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_events")).hasMessageContaining("insert-only");
            // Since V4 the seals reference the events, so a plain TRUNCATE stops at the foreign key; CASCADE reaches the triggers.
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE audit_events")).hasMessageContaining("foreign key");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE audit_events CASCADE")).hasMessageContaining("insert-only");
        }
    }

    @Test
    void sealsAreInsertOnlyForTheApplicationRoleAndTheOwner() throws SQLException {
        try (Connection owner = db.asOwner(); Statement s = owner.createStatement()) {
            s.executeUpdate("INSERT INTO audit_events (occurred_at, actor_type, actor_id, action, subject_type, subject_id) "
                    + "VALUES (now(), 'SYSTEM', 'test', 'TEST', 'seal', '1')");
            s.executeUpdate("INSERT INTO audit_seals (seq, event_id, prev_hash, hash, sealed_at, sealed_by) "
                    + "SELECT 1000 + id, id, decode(repeat('00', 32), 'hex'), decode(repeat('11', 32), 'hex'), now(), 'test' "
                    + "FROM audit_events WHERE subject_type = 'seal'");
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_seals SET sealed_by = 'forger'")).hasMessageContaining("insert-only");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_seals")).hasMessageContaining("insert-only");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE audit_seals")).hasMessageContaining("insert-only");
        }
        try (Connection app = db.asApp(); Statement s = app.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_seals SET sealed_by = 'forger'")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_seals")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.executeUpdate("TRUNCATE audit_seals")).hasMessageContaining("permission denied");
        }
    }

    private static List<String> strings(String sql) throws SQLException {
        try (Connection c = db.asOwner(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static long number(String sql) throws SQLException {
        try (Connection c = db.asOwner(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
