package vn.hotline.gateway.retention.internal;

import java.io.PrintStream;
import org.springframework.stereotype.Component;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.command.Commands;
import vn.hotline.gateway.command.HotlineCommand;
import vn.hotline.gateway.retention.Retention;
import vn.hotline.gateway.retention.RetentionReport;

/**
 * {@code --hotline.command=retention-report} prints what is due (a dry run); {@code retention-apply} prints the same
 * report first, then anonymises and prints what it did.
 */
abstract class RetentionCommand implements HotlineCommand {

    private final Retention retention;

    RetentionCommand(Retention retention) {
        this.retention = retention;
    }

    abstract boolean applies();

    @Override
    public int run(PrintStream out) {
        Actor actor = Actor.system(name() + "-command");
        try {
            print(out, retention.dryRun(actor).block());
            if (applies()) {
                print(out, retention.apply(actor).block());
            }
            return 0;
        } catch (RuntimeException e) {
            out.println(name() + " error " + e);
            return Commands.CANNOT_RUN;
        }
    }

    private static void print(PrintStream out, RetentionReport report) {
        String run = report.applied() ? "applied" : "dry-run";
        for (RetentionReport.Line line : report.classes()) {
            out.println("retention " + run + " class=" + line.dataClass() + " cutoff=" + (line.cutoff() == null ? "never" : line.cutoff())
                    + " due=" + line.due() + " held=" + line.held() + " anonymised=" + line.anonymised());
        }
    }

    /** The dry run alone. */
    @Component
    static class Report extends RetentionCommand {
        Report(Retention retention) {
            super(retention);
        }

        @Override
        public String name() {
            return "retention-report";
        }

        @Override
        boolean applies() {
            return false;
        }
    }

    /** Dry run, then apply. */
    @Component
    static class Apply extends RetentionCommand {
        Apply(Retention retention) {
            super(retention);
        }

        @Override
        public String name() {
            return "retention-apply";
        }

        @Override
        boolean applies() {
            return true;
        }
    }
}
