package vn.hotline.gateway.cases;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.outbox.ClaimedMessage;
import vn.hotline.gateway.outbox.Outbox;
import vn.hotline.gateway.outbox.OutboxMessage;
import vn.hotline.gateway.outbox.OutboxSender;
import vn.hotline.gateway.routing.RoutingService;
import vn.hotline.routing.roster.Shift;
import vn.hotline.routing.roster.ShiftRole;

/**
 * Delivers alerts for the duty supervisor (a missed statutory deadline, a referral 111 has not accepted): finds who is
 * on the duty-supervisor shift when the alert is sent and hands the alert to the officer notification path
 * ({@code officer-notify}, type {@code case.alert}), which texts that person. Nobody on shift: the alert waits and
 * is retried, so it is never dropped.
 */
@Component
class SupervisorAlerts implements OutboxSender {

    /** The message type officer notifications use for an alert (the text comes from the alert's kind). */
    static final String CASE_ALERT = "case.alert";

    private final RoutingService routing;
    private final Outbox outbox;
    private final JsonMapper json;
    private final Clock clock;

    SupervisorAlerts(RoutingService routing, Outbox outbox, JsonMapper json, Clock clock) {
        this.routing = routing;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String destination() {
        return EscalationScheduler.SUPERVISOR_NOTIFY;
    }

    @Override
    public Mono<Void> send(ClaimedMessage message) {
        JsonNode payload = json.readTree(message.payloadJson());
        String reference = payload.get("reference").asString();
        Instant now = clock.instant();
        return routing.snapshot().flatMap(snapshot -> {
            Optional<Shift> duty = snapshot.roster().onDuty(ShiftRole.DUTY_SUPERVISOR, Optional.empty(), now).stream().findFirst();
            if (duty.isEmpty()) {
                return Mono.error(new IllegalStateException("no duty supervisor on shift for alert " + message.idempotencyKey()));
            }
            // The same key for every retry of this alert, so the officer notification is enqueued (and sent) once.
            return outbox.enqueue(new OutboxMessage(CaseService.OFFICER_NOTIFY, CASE_ALERT, message.idempotencyKey() + "-sms",
                    Map.of("reference", reference, "officerId", duty.get().officerId(), "alert", message.messageType()), now));
        });
    }
}
