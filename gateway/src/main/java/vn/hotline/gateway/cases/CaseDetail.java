package vn.hotline.gateway.cases;

import java.util.List;
import java.util.Map;

/**
 * A case as staff see it: the case, its routing decision (ladder, reasons), deadlines, referrals and history with
 * notes decrypted for the authorised reader.
 *
 * @param summary the case row
 * @param routing the routing decision as stored
 * @param deadlines its deadlines
 * @param referrals its referrals
 * @param events its history
 */
public record CaseDetail(CaseSummary summary, Map<String, Object> routing, List<CaseDeadline> deadlines,
                         List<CaseReferral> referrals, List<CaseEvent> events) {
}
