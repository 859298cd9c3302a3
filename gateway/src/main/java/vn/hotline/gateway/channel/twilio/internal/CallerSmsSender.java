package vn.hotline.gateway.channel.twilio.internal;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.outbox.ClaimedMessage;
import vn.hotline.gateway.outbox.OutboxSender;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.sms.CallerTexts;
import vn.hotline.ivr.triage.Language;

/**
 * Sends the case reference to a caller who asked for it ({@code caller-notify}), through the officers' SMS chain (same
 * sender number, rate limit, breaker, look-up after an ambiguous send). The wording is neutral: a reference and
 * nothing about the hotline or why anyone called, because the phone may be an abuser's. The number is opened only
 * for the request and never logged.
 */
class CallerSmsSender implements OutboxSender {

    private static final Logger log = LoggerFactory.getLogger(CallerSmsSender.class);

    private final OfficerSmsSender sms;
    private final Notifications notifications;
    private final PersonalData personalData;
    private final TwilioTexts texts;
    private final JsonMapper json;
    private final Clock clock;

    CallerSmsSender(OfficerSmsSender sms, Notifications notifications, PersonalData personalData, TwilioTexts texts,
            JsonMapper json, Clock clock) {
        this.sms = sms;
        this.notifications = notifications;
        this.personalData = personalData;
        this.texts = texts;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String destination() {
        return CallerTexts.DESTINATION;
    }

    @Override
    public Mono<Void> send(ClaimedMessage message) {
        JsonNode payload = json.readTree(message.payloadJson());
        UUID callId = UUID.fromString(payload.get("callId").asString());
        Language language = Language.fromTag(payload.path("language").asString("vi"));
        return notifications.callerDetails(callId)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("call of " + message.idempotencyKey()
                        + " opened no case")))
                .flatMap(caller -> {
                    if (caller.numberCipher().isEmpty()) {
                        // Withheld or already erased: nothing to send to; the request is done.
                        log.warn("Case {}: the caller asked for a text but the call has no number to send it to",
                                caller.reference());
                        return Mono.empty();
                    }
                    return notifications.ensureForCaller(message.idempotencyKey(), caller.caseId(), callId, clock.instant())
                            .flatMap(notification -> notification.providerSid().isPresent() ? Mono.<Void>empty()
                                    : sms.deliver(notification,
                                            personalData.reveal(caller.numberCipher().get(), caller.numberKeyId(),
                                                    DataField.CALLER_NUMBER),
                                            texts.text("sms.caller.reference", language,
                                                    Map.of("reference", caller.reference())),
                                            caller.reference()));
                });
    }
}
