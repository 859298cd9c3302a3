package vn.hotline.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AuditActionTest {

    @Test
    void theAuditedActionsAreExactlyThese() {
        assertThat(Arrays.stream(AuditAction.values()).map(Enum::name)).containsExactly(
                "LOGIN_SUCCEEDED",
                "LOGIN_FAILED",
                "AUDIT_TRAIL_READ",
                "AUDIT_VERIFIED",
                "CALL_LOG_READ",
                "CALL_READ",
                "EXPORT_CREATED",
                "KEY_ROTATED",
                "RETENTION_RUN",
                "DEMO_DATA_LOADED",
                "CASE_OPENED",
                "ROUTING_DECIDED",
                "CASE_READ",
                "CASE_TRANSITIONED",
                "CASE_NOTE_ADDED",
                "CASE_REASSIGNED",
                "CASE_ESCALATED",
                "STATUTORY_DEADLINE_MISSED",
                "REFERRAL_CREATED",
                "ROSTER_IMPORTED",
                "ROSTER_EXPORTED",
                "UNIT_AREA_CORRECTED",
                "CALL_STARTED",
                "IVR_COMPLETED",
                "CALL_ENDED",
                "TRANSFER_ATTEMPTED",
                "REFERRAL_ACCEPTED",
                "REFERRAL_STATUS_CHANGED",
                "REFERRAL_RECEIVED",
                "REFERRAL_NOT_ACCEPTED",
                "NOTIFICATION_SENT",
                "REFERRAL_EMERGENCY_DISCLOSURE",
                "REFERRAL_STATUS_REPORTED",
                "CALLER_TEXT_REQUESTED",
                "CALL_RECORD_COMPLETED",
                "CALLBACK_REQUESTED",
                "CALLBACK_ENDED");
    }

    @Test
    void everyActionIsRecordedBySomeProductionCode() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("vn.hotline.gateway");
        Set<String> used = new TreeSet<>();
        classes.forEach(c -> {
            if (!c.isEquivalentTo(AuditAction.class)) {
                for (JavaFieldAccess access : c.getFieldAccessesFromSelf()) {
                    if (access.getTargetOwner().isEquivalentTo(AuditAction.class)) {
                        used.add(access.getName());
                    }
                }
            }
        });
        assertThat(used).as("an action nobody records is a promise the log does not keep")
                .containsExactlyInAnyOrder(Arrays.stream(AuditAction.values()).map(Enum::name).toArray(String[]::new));
    }
}
