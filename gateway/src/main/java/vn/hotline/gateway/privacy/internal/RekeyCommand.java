package vn.hotline.gateway.privacy.internal;

import java.io.PrintStream;
import org.springframework.stereotype.Component;
import vn.hotline.gateway.audit.Actor;
import vn.hotline.gateway.command.Commands;
import vn.hotline.gateway.command.HotlineCommand;
import vn.hotline.gateway.privacy.KeyRotation;
import vn.hotline.gateway.privacy.RekeyReport;

/** {@code --hotline.command=rekey}: exit 0 when no ciphertext is left under an old key, 1 when some is. */
@Component
class RekeyCommand implements HotlineCommand {

    private final KeyRotation rotation;

    RekeyCommand(KeyRotation rotation) {
        this.rotation = rotation;
    }

    @Override
    public String name() {
        return "rekey";
    }

    @Override
    public int run(PrintStream out) {
        RekeyReport report;
        try {
            report = rotation.reencryptAll(Actor.system("rekey-command")).block();
        } catch (RuntimeException e) {
            out.println("rekey error " + e);
            return Commands.CANNOT_RUN;
        }
        out.println("rekey active_key=" + report.activeKeyId());
        report.reencrypted().forEach((column, n) -> out.println("rekey reencrypted " + column + "=" + n));
        report.remainingByKey().forEach((key, n) -> out.println("rekey remaining key=" + key + " rows=" + n));
        return report.complete() ? 0 : 1;
    }
}
