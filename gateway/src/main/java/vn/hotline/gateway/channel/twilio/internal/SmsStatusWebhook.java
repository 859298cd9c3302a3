package vn.hotline.gateway.channel.twilio.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.channel.twilio.TwilioProperties;

/**
 * Delivery status of officer SMS. The notification id comes from the callback URL the send gave Twilio; a status is
 * stored only when it moves forward, so a retried or late callback ({@code sent} after {@code delivered}) changes
 * nothing and still gets 200.
 */
@RestController
@ConditionalOnProperty(prefix = "hotline.twilio", name = "enabled", havingValue = "true", matchIfMissing = true)
class SmsStatusWebhook {

    private final Notifications notifications;
    private final Clock clock;
    private final Duration answerWithin;

    SmsStatusWebhook(Notifications notifications, Clock clock, TwilioProperties properties) {
        this.notifications = notifications;
        this.clock = clock;
        this.answerWithin = properties.sms().answerWithin();
    }

    @PostMapping(TwilioRoutes.SMS_STATUS)
    Mono<ResponseEntity<Void>> status(@RequestParam("n") UUID notification, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            String sid = Optional.ofNullable(form.getFirst("MessageSid")).orElse("");
            String status = Optional.ofNullable(form.getFirst("MessageStatus")).orElse("");
            return notifications.status(notification, sid, status, clock.instant());
        }).thenReturn(ResponseEntity.ok().<Void>build())
                // Twilio gives up at 15 s; a status not stored is only a delivery report missed, said with a 503.
                .timeout(answerWithin)
                .onErrorResume(TimeoutException.class, e -> Mono.just(ResponseEntity.status(503).<Void>build()));
    }
}
