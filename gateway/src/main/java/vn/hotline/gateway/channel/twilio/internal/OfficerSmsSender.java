package vn.hotline.gateway.channel.twilio.internal;

import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.channel.twilio.TwilioProperties;
import vn.hotline.gateway.outbox.ClaimedMessage;
import vn.hotline.gateway.outbox.OutboxSender;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.ivr.triage.Language;

/**
 * Sends the officer notifications of the outbox ({@code officer-notify}) as SMS through Twilio's REST API. The chain,
 * in plain view: a send marks its notification uncertain, then goes through the sender's rate limiter, the circuit
 * breaker and a short retry of answered failures (429, 5xx); an error with no HTTP status (time-out, reset: the SDK
 * reports both as an {@code ApiException} without one) leaves it uncertain, and the next
 * attempt looks the message up at Twilio (recipient, body, time window) before sending again. The notification id is
 * in the status-callback URL of every attempt. Longer back-off is the outbox dispatcher's.
 */
class OfficerSmsSender implements OutboxSender {

    private static final Logger log = LoggerFactory.getLogger(OfficerSmsSender.class);
    private static final int PAGE_SIZE = 50;
    /** Messages a look-up reads at most (ten pages). */
    static final long LOOK_UP_LIMIT = 500;
    private static final DateTimeFormatter DEADLINE = DateTimeFormatter.ofPattern("HH:mm dd/MM/yyyy");

    private final TwilioRestClient client;
    private final Notifications notifications;
    private final PersonalData personalData;
    private final TwilioTexts texts;
    private final TwilioProperties properties;
    private final JsonMapper json;
    private final RateLimiter rateLimiter;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final Clock clock;
    private final ZoneId zone;

    OfficerSmsSender(TwilioRestClient client, Notifications notifications, PersonalData personalData, TwilioTexts texts,
            TwilioProperties properties, JsonMapper json, RateLimiter rateLimiter, CircuitBreaker breaker, Retry retry,
            Clock clock, ZoneId zone) {
        this.client = client;
        this.notifications = notifications;
        this.personalData = personalData;
        this.texts = texts;
        this.properties = properties;
        this.json = json;
        this.rateLimiter = rateLimiter;
        this.breaker = breaker;
        this.retry = retry;
        this.clock = clock;
        this.zone = zone;
    }

    @Override
    public String destination() {
        return CaseService.OFFICER_NOTIFY;
    }

    /** The circuit breaker, for health and tests. */
    CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public Mono<Void> send(ClaimedMessage message) {
        JsonNode payload = json.readTree(message.payloadJson());
        String reference = payload.get("reference").asString();
        UUID officerId = UUID.fromString(payload.get("officerId").asString());
        // An alert for the duty supervisor (cases.SupervisorAlerts) names its kind instead of an urgency.
        Optional<String> alert = Optional.ofNullable(payload.get("alert")).map(JsonNode::asString);
        String urgency = alert.isPresent() ? "" : payload.get("urgency").asString();
        return notifications.details(reference, officerId)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("case or officer of " + message.idempotencyKey()
                        + " not found")))
                .flatMap(details -> notifications.ensure(message.idempotencyKey(), details.caseId(), officerId, clock.instant())
                        .flatMap(notification -> notification.providerSid().isPresent() ? Mono.<Void>empty()
                                : deliver(notification, details, reference, urgency, alert)));
    }

    private Mono<Void> deliver(Notifications.Notification notification, Notifications.Details details, String reference,
            String urgency, Optional<String> alert) {
        String to = personalData.reveal(details.phoneCipher(), details.phoneKeyId(), DataField.OFFICER_PHONE);
        Language language = Language.fromTag(details.language() == null ? "vi" : details.language());
        String body = alert.isPresent()
                ? texts.text("sms.supervisor." + alert.get(), language, Map.of("reference", reference,
                        "category", texts.text("category." + details.category(), language)))
                : texts.text("sms.officer.case_assigned", language, Map.of(
                        "reference", reference,
                        "category", texts.text("category." + details.category(), language),
                        "urgency", texts.text("urgency." + urgency, language),
                        "deadline", details.ackDeadline().map(d -> DEADLINE.format(d.atZone(zone))).orElse("-")));
        return deliver(notification, to, body, reference);
    }

    /**
     * Sends {@code body} to {@code to} for a notification not yet at Twilio, through this sender's chain: a look-up
     * first when an earlier attempt's outcome is unknown. Shared with the callers' texts (same sender number, same
     * rate limit and breaker).
     */
    Mono<Void> deliver(Notifications.Notification notification, String to, String body, String reference) {
        Mono<Optional<Message>> earlier = notification.uncertain()
                ? lookUp(to, body, notification.createdAt()) : Mono.just(Optional.empty());
        return earlier.flatMap(found -> {
            if (found.isPresent()) {
                log.info("Notification {} was already at Twilio after an ambiguous send; not sent again", notification.id());
                return notifications.accepted(notification.id(), found.get().getSid(), status(found.get()), reference,
                        clock.instant());
            }
            return create(notification.id(), to, body)
                    .flatMap(created -> notifications.accepted(notification.id(), created.getSid(), status(created),
                            reference, clock.instant()));
        });
    }

    /** One POST per subscription, marked uncertain first; an answered error clears the mark (nothing was created). */
    private Mono<Message> create(UUID notificationId, String to, String body) {
        Mono<Message> attempt = notifications.sending(notificationId, clock.instant())
                .then(blocking(() -> {
                    var creator = Message.creator(new PhoneNumber(to), new PhoneNumber(properties.sms().from()), body);
                    statusCallback(notificationId).ifPresent(creator::setStatusCallback);
                    return creator.create(client);
                }).transformDeferred(RateLimiterOperator.of(rateLimiter)))
                .onErrorResume(e -> e instanceof ApiException api && api.getStatusCode() != null,
                        e -> notifications.refused(notificationId, clock.instant()).then(Mono.error(e)));
        return attempt.transformDeferred(CircuitBreakerOperator.of(breaker))
                .transformDeferred(RetryOperator.of(retry));
    }

    /**
     * A message to this recipient with this body, created since the notification was: the ambiguous send got through.
     * Every page is read, up to {@link #LOOK_UP_LIMIT} messages: an officer may get more than a page of texts in a
     * burst, and Twilio's date filter is on the send date, which a still-queued message does not have yet.
     */
    private Mono<Optional<Message>> lookUp(String to, String body, Instant since) {
        Instant from = since.minus(properties.sms().lookupSkew());
        return blocking(() -> {
            for (Message m : Message.reader().setTo(new PhoneNumber(to)).pageSize(PAGE_SIZE).limit(LOOK_UP_LIMIT).read(client)) {
                boolean recent = m.getDateCreated() == null || !m.getDateCreated().toInstant().isBefore(from);
                if (recent && body.equals(m.getBody())) {
                    return Optional.of(m);
                }
            }
            return Optional.<Message>empty();
        }).transformDeferred(CircuitBreakerOperator.of(breaker));
    }

    private Optional<String> statusCallback(UUID notificationId) {
        String base = properties.publicBaseUrl();
        if (base.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + TwilioRoutes.SMS_STATUS
                + "?n=" + notificationId);
    }

    private static String status(Message message) {
        return message.getStatus() == null ? "queued" : message.getStatus().toString();
    }

    /** The SDK blocks: never on an event loop. */
    private static <T> Mono<T> blocking(java.util.concurrent.Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }
}
