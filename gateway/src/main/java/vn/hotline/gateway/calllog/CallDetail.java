package vn.hotline.gateway.calllog;

import java.util.List;
import java.util.Map;
import vn.hotline.gateway.audit.AuditTrailEntry;

/**
 * Everything about one call a supervisor reviews.
 *
 * @param call the call and its case
 * @param routing the case's routing decision with its reasons (empty without a case)
 * @param dialAttempts the rungs dialled
 * @param referrals the case's referrals
 * @param notifications messages sent about the case
 * @param auditTrail the audit events about the call and its case, with their seals
 * @param timeline the call's moments from the IVR and AMI, with its hang-up cause and talk time
 */
public record CallDetail(CallEntry call, Map<String, Object> routing, List<DialAttempt> dialAttempts,
                         List<ReferralEntry> referrals, List<Notification> notifications, List<AuditTrailEntry> auditTrail,
                         CallTimeline timeline) {
}
