package vn.hotline.gateway.switchboard;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import vn.hotline.gateway.cases.CaseIntake;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.cases.OpenedCase;
import vn.hotline.gateway.cases.ReferralTarget;
import vn.hotline.gateway.outbox.OutboxDispatcher;
import vn.hotline.gateway.outbox.OutboxSender;
import vn.hotline.gateway.security.StaffDirectory;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Channel;
import vn.hotline.ivr.triage.Consents;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.LocationHint;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.TriageResult;
import vn.hotline.ivr.triage.Urgency;

/** Cases referred to 111 the way staff do it, and the 111 outbox sender. */
public final class SwitchboardFixtures {

    private SwitchboardFixtures() {
    }

    static OutboxSender sender(OutboxDispatcher dispatcher) {
        return dispatcher.senders().stream().filter(s -> s.destination().equals(CaseService.SWITCHBOARD_111)).findFirst()
                .orElseThrow();
    }

    /** Opens a bullying case in Tuy Phước, acknowledges it and refers it to 111; returns the case reference. */
    public static String referredTo111(CaseService cases, StaffDirectory staff, Instant at) {
        String reference = acknowledgedCase(cases, staff, at);
        StaffDirectory.Staff supervisor = staff.find("supervisor").block();
        cases.refer(reference, ReferralTarget.SWITCHBOARD_111, "needs national follow-up", supervisor).block();
        return reference;
    }

    /** Opens a bullying case in Tuy Phước and acknowledges it as the supervisor; returns the case reference. */
    static String acknowledgedCase(CaseService cases, StaffDirectory staff, Instant at) {
        TriageResult triage = new TriageResult(Channel.ASTERISK_VOICE, Language.VI, Urgency.NORMAL, Category.CYBERBULLYING,
                ReporterRole.CHILD, AgeBand.AGE_11_15, new LocationHint.FormerDistrict("550"), Consents.NONE,
                Optional.empty(), List.of("greeting", "who", "district"));
        OpenedCase opened = cases.open(new CaseIntake(triage, at, Optional.empty())).block();
        StaffDirectory.Staff supervisor = staff.find("supervisor").block();
        cases.acknowledge(opened.reference(), supervisor).block();
        return opened.reference();
    }

    public static long count(DatabaseClient db, String sql) {
        return db.sql(sql).map(r -> r.get(0, Long.class)).one().block();
    }
}
