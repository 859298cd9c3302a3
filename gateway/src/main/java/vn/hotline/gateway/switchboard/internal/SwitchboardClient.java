package vn.hotline.gateway.switchboard.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.cases.CaseService;
import vn.hotline.gateway.outbox.ClaimedMessage;
import vn.hotline.gateway.outbox.OutboxSender;
import vn.hotline.gateway.outbox.RetryAfter;
import vn.hotline.gateway.privacy.DataField;
import vn.hotline.gateway.privacy.Encrypted;
import vn.hotline.gateway.privacy.PersonalData;
import vn.hotline.gateway.switchboard.SwitchboardProperties;

/**
 * The outbound side of the 111 contract ({@code ops/switchboard/openapi.yaml}) and the outbox sender of
 * {@code switchboard-111}: the one class to replace when 111 publishes an API of its own.
 *
 * <p>Each HTTP call goes through, innermost first: a time-out ({@code call-timeout}), the bulkhead (never waits for a
 * slot), the circuit breaker (fails fast while 111 is down, half-opens to probe), and the retry (exponential back-off
 * with jitter, for 5xx, resets, time-outs and malformed answers). When that gives up, or 111 answers 503 with
 * {@code Retry-After}, the message goes back to the outbox, which tries again after its own back-off for as long as it
 * takes: nothing is dropped. Every request carries the message's idempotency key, so a resend is harmless.
 */
@Component
class SwitchboardClient implements OutboxSender {

    /** 111 refused the request itself (4xx): no sign of an outage, the breaker ignores it. */
    static final class Refused extends RuntimeException {
        Refused(int status) {
            super("111 refused the request: HTTP " + status);
        }
    }

    /** 111 is up but asked us to wait (429 or 503 with {@code Retry-After}). */
    static final class PleaseWait extends RetryAfter {
        PleaseWait(int status, Duration after) {
            super("111 asked to retry after " + after.toSeconds() + " s: HTTP " + status, after);
        }
    }

    /** 111 failed (5xx) or answered 2xx with something that is not the contract's receipt. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String what) {
            super(what);
        }
    }

    static final String CREATE = "referral.create";
    static final String STATUS = "referral.status";

    private final WebClient web;
    private final ReferralStore store;
    private final SwitchboardProperties properties;
    private final JsonMapper json;
    private final Clock clock;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final Bulkhead bulkhead;
    private final PersonalData personalData;
    private final ReferralSummary summary = new ReferralSummary(ReferralSummary.VIETNAMESE);

    SwitchboardClient(ReferralStore store, SwitchboardProperties properties, JsonMapper json, Clock clock,
                      CircuitBreaker switchboardBreaker, Retry switchboardRetry, Bulkhead switchboardBulkhead,
                      PersonalData personalData) {
        this.store = store;
        this.personalData = personalData;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        this.breaker = switchboardBreaker;
        this.retry = switchboardRetry;
        this.bulkhead = switchboardBulkhead;
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis());
        String base = properties.baseUrl().toString();
        this.web = WebClient.builder()
                .baseUrl(base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                .clientConnector(new ReactorClientHttpConnector(http))
                .build();
    }

    @Override
    public String destination() {
        return CaseService.SWITCHBOARD_111;
    }

    @Override
    public Mono<Void> send(ClaimedMessage message) {
        if (properties.outboundSecret().isBlank()) {
            return Mono.error(new IllegalStateException("hotline.switchboard.outbound-secret is not set"));
        }
        switch (message.messageType()) {
            case CREATE:
                return create(message);
            case STATUS:
                return status(message);
            case CaseService.CASE_STATUS_FOR_111:
                return report(message);
            default:
                return Mono.error(new IllegalArgumentException("no 111 operation for message type " + message.messageType()));
        }
    }

    /** POST /referrals: 111 answers with its reference, stored on the referral as the receipt. */
    private Mono<Void> create(ClaimedMessage message) {
        JsonNode payload = json.readTree(message.payloadJson());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("caseReference", payload.path("caseReference").asString());
        body.put("kind", payload.path("handOff").asString("").equals("VOICE") ? "VOICE_HANDOFF" : "REFERRAL");
        body.put("category", payload.path("category").asString());
        body.put("urgency", payload.path("urgency").asString());
        body.put("adminUnitCode", payload.path("unitCode").asString(""));
        body.put("ageBand", payload.path("ageBand").asString());
        body.put("reporterRole", payload.path("reporterRole").asString());
        body.put("summary", summary.render(payload));
        JsonNode emergency = payload.path("emergencyDetails");
        if (emergency.isObject()) {
            // The emergency exception: opened only here, only for this request body, never logged.
            body.put("emergencyException", true);
            body.put("identifyingDetails", personalData.decrypt(new Encrypted(emergency.path("keyId").asString(),
                    Base64.getDecoder().decode(emergency.path("cipher").asString())), DataField.CASE_NOTE));
        }
        return store.sending(message.idempotencyKey(), clock.instant())
                .then(call("/referrals", message.idempotencyKey(), body))
                .map(receipt -> {
                    String reference = receipt.path("referenceId").asString("");
                    if (reference.isBlank()) {
                        throw new Unavailable("111 answered without a referenceId");
                    }
                    return reference;
                })
                .transformDeferred(this::resilient)
                .flatMap(reference -> store.accepted(message.idempotencyKey(), reference, clock.instant()));
    }

    /** POST /referrals/{referenceId}/status: only once 111 has accepted the referral, so updates follow the create. */
    private Mono<Void> status(ClaimedMessage message) {
        JsonNode payload = json.readTree(message.payloadJson());
        String referralKey = payload.path("referralKey").asString();
        return store.byKey(referralKey)
                .filter(r -> r.externalRef().isPresent())
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("111 has not accepted referral " + referralKey + " yet")))
                .flatMap(r -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("caseReference", r.caseReference());
                    body.put("state", payload.path("state").asString());
                    return call("/referrals/" + r.externalRef().get() + "/status", message.idempotencyKey(), body)
                            .transformDeferred(this::resilient);
                })
                .then();
    }

    /**
     * POST /referrals/{referenceId}/status for a case 111 referred to the province: the province is authoritative
     * there, so its report carries its own sequence and 111 applies the highest. A case 111 did not open has nothing
     * to report (the message is done).
     */
    private Mono<Void> report(ClaimedMessage message) {
        JsonNode payload = json.readTree(message.payloadJson());
        String caseReference = payload.path("caseReference").asString();
        String state = payload.path("state").asString();
        long sequence = payload.path("sequence").asLong();
        return store.inboundReferenceOf(caseReference)
                .flatMap(externalRef -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("caseReference", caseReference);
                    body.put("state", state);
                    body.put("sequence", sequence);
                    return call("/referrals/" + externalRef + "/status", message.idempotencyKey(), body)
                            .transformDeferred(this::resilient)
                            .then(store.reported(externalRef, caseReference, state, sequence, clock.instant()));
                });
    }

    /** The chain, innermost first: time-out, bulkhead, circuit breaker, retry. */
    private <T> Mono<T> resilient(Mono<T> call) {
        return call
                .timeout(properties.callTimeout())
                .transformDeferred(BulkheadOperator.of(bulkhead))
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .transformDeferred(RetryOperator.of(retry));
    }

    /** One signed POST; the answer's JSON, or an error that says what kind of failure it was. */
    private Mono<JsonNode> call(String path, String idempotencyKey, Map<String, Object> body) {
        byte[] bytes = json.writeValueAsBytes(body);
        return Mono.defer(() -> {
            long timestamp = clock.instant().getEpochSecond();
            return web.post().uri(path)
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_JSON)
                    .header(RequestSignature.IDEMPOTENCY_KEY, idempotencyKey)
                    .header(RequestSignature.TIMESTAMP, Long.toString(timestamp))
                    .header(RequestSignature.SIGNATURE, RequestSignature.sign(properties.outboundSecret(), timestamp, bytes))
                    .bodyValue(bytes)
                    .exchangeToMono(this::answer);
        });
    }

    private Mono<JsonNode> answer(ClientResponse response) {
        int status = response.statusCode().value();
        if (response.statusCode().is2xxSuccessful()) {
            return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]).map(this::receipt);
        }
        Mono<JsonNode> failure;
        if (status == 429 || (status == 503 && response.headers().header(HttpHeaders.RETRY_AFTER).size() == 1)) {
            failure = Mono.error(new PleaseWait(status, retryAfter(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER))));
        } else if (status >= 500 || status == 408) {
            failure = Mono.error(new Unavailable("111 failed: HTTP " + status));
        } else {
            failure = Mono.error(new Refused(status));
        }
        // Drain the body so the connection goes back to the pool.
        return response.releaseBody().then(failure);
    }

    private JsonNode receipt(byte[] body) {
        try {
            JsonNode node = json.readTree(new String(body, StandardCharsets.UTF_8));
            if (node == null || !node.isObject()) {
                throw new Unavailable("111 answered with something other than a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new Unavailable("111 answered with malformed JSON");
        }
    }

    /** {@code Retry-After} as seconds or an HTTP date; an unreadable one is taken as a minute. */
    private Duration retryAfter(String header) {
        if (header == null) {
            return Duration.ofMinutes(1);
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException e) {
                return Duration.ofMinutes(1);
            }
        }
    }
}
