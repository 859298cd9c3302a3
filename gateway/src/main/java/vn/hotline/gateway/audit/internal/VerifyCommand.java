package vn.hotline.gateway.audit.internal;

import java.io.PrintStream;
import org.springframework.stereotype.Component;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.audit.AuditChain;
import vn.hotline.gateway.audit.VerificationProgress;
import vn.hotline.gateway.audit.VerificationReport;
import vn.hotline.gateway.command.Commands;
import vn.hotline.gateway.command.HotlineCommand;

/** {@code --hotline.command=audit-verify}: exit 0 when the chain and every anchor check out, 1 at the first break. */
@Component
class VerifyCommand implements HotlineCommand {

    private final AuditChain chain;

    VerifyCommand(AuditChain chain) {
        this.chain = chain;
    }

    @Override
    public String name() {
        return "audit-verify";
    }

    @Override
    public int run(PrintStream out) {
        VerificationProgress last;
        try {
            last = chain.verify(Actor.system("audit-verify-command"))
                    .doOnNext(p -> {
                        if (p.report() == null) {
                            out.println("audit-verify progress " + p.checked() + "/" + p.total());
                        }
                    })
                    .blockLast();
        } catch (RuntimeException e) {
            out.println("audit-verify error " + e);
            return Commands.CANNOT_RUN;
        }
        VerificationReport report = last.report();
        if (report.intact()) {
            out.println("audit-verify INTACT entries=" + report.checked() + " head_seq=" + report.headSeq()
                    + " head_hash=" + report.headHash() + " anchors=" + report.anchorsChecked());
            return 0;
        }
        out.println("audit-verify BROKEN problem=" + report.firstBreak().problem() + " seq=" + report.firstBreak().seq()
                + " event_id=" + report.firstBreak().eventId() + " verified=" + report.checked() + "/" + report.total());
        return 1;
    }
}
