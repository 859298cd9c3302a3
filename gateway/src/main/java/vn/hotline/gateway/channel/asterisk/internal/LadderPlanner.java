package vn.hotline.gateway.channel.asterisk.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import vn.hotline.gateway.channel.asterisk.AsteriskProperties;
import vn.hotline.gateway.routing.OfficerPhones;
import vn.hotline.gateway.switchboard.VoiceHandOff;
import vn.hotline.ivr.flow.TransferTarget;
import vn.hotline.routing.decision.RoutingDecision;
import vn.hotline.routing.decision.Rung;
import vn.hotline.routing.decision.RungKind;

/**
 * Turns a routing decision into the rungs the dialplan dials: the officers' numbers (decrypted only here, only to
 * dial them) through the trunk, 111 (the switchboard's voice target), and after the last rung the duty phone once more.
 */
@Component
class LadderPlanner {

    /** The kind recorded for the duty phone dialled again after the ladder. */
    static final String DUTY_AGAIN = "DUTY_AGAIN";

    private final OfficerPhones phones;
    private final AsteriskProperties properties;
    private final VoiceHandOff national111;

    LadderPlanner(OfficerPhones phones, AsteriskProperties properties, VoiceHandOff national111) {
        this.phones = phones;
        this.properties = properties;
        this.national111 = national111;
    }

    /** One rung to dial: the dial string goes into a channel variable, the rest into the database. */
    record DialRung(CallStore.PlannedRung planned, String dialString) {
    }

    List<DialRung> plan(RoutingDecision decision, TransferTarget target, StepBudget budget) {
        List<Rung> rungs = rungsFor(decision.ladder(), target);
        // Every officer's number in one query: this runs between the child's key and the first ring.
        Map<UUID, String> numbers = budget.await("officer phones", phones.numbers(rungs.stream()
                        .filter(r -> r.kind() != RungKind.NATIONAL_111 && r.phone().isPresent())
                        .map(r -> UUID.fromString(r.phone().get().value()))
                        .collect(Collectors.toCollection(LinkedHashSet::new))))
                .orElse(Map.of());
        List<DialRung> out = new ArrayList<>();
        String dutyAgain = properties.dutyDial();
        Optional<UUID> dutyOfficer = Optional.empty();
        for (Rung rung : rungs) {
            int ring = ringSeconds(rung.answerWithin());
            if (rung.kind() == RungKind.NATIONAL_111) {
                out.add(rung(out.size() + 1, rung.kind().name(), Optional.empty(), ring, national111Dial()));
                continue;
            }
            if (rung.phone().isEmpty()) {
                continue;
            }
            UUID officer = UUID.fromString(rung.phone().get().value());
            String number = numbers.get(officer);
            if (number == null) {
                continue;
            }
            String dial = properties.dialTemplate().replace("{number}", number);
            out.add(rung(out.size() + 1, rung.kind().name(), Optional.of(officer), ring, dial));
            if (rung.kind() == RungKind.DUTY_SUPERVISOR && dutyOfficer.isEmpty()) {
                dutyOfficer = Optional.of(officer);
                dutyAgain = dial;
            }
        }
        out.add(rung(out.size() + 1, DUTY_AGAIN, dutyOfficer, ringSeconds(Optional.empty()), dutyAgain));
        return out;
    }

    /** How the dialplan dials 111 (the switchboard's voice target). */
    String national111Dial() {
        return national111.target().asteriskDial();
    }

    /** The part of the ladder a transfer target reaches. */
    private static List<Rung> rungsFor(List<Rung> ladder, TransferTarget target) {
        switch (target) {
            case DUTY_SUPERVISOR: {
                for (int i = 0; i < ladder.size(); i++) {
                    if (ladder.get(i).kind() == RungKind.DUTY_SUPERVISOR) {
                        return ladder.subList(i, ladder.size());
                    }
                }
                return ladder.stream().filter(r -> r.kind() == RungKind.NATIONAL_111).toList();
            }
            case NATIONAL_111:
                return ladder.stream().filter(r -> r.kind() == RungKind.NATIONAL_111).toList();
            default:
                return ladder;
        }
    }

    private int ringSeconds(Optional<Duration> answerWithin) {
        Duration ring = answerWithin.filter(d -> d.compareTo(properties.ringTimeout()) < 0).orElse(properties.ringTimeout());
        return (int) Math.max(1, ring.toSeconds());
    }

    private static DialRung rung(int step, String kind, Optional<UUID> officer, int ring, String dial) {
        return new DialRung(new CallStore.PlannedRung(step, kind, officer, ring), dial);
    }
}
