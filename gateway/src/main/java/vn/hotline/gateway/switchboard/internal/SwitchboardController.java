package vn.hotline.gateway.switchboard.internal;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.switchboard.SwitchboardProperties;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.Language;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.Urgency;

/**
 * What 111 calls ({@code ops/switchboard/openapi.yaml}): a referral about a child in the province, and status updates
 * on referrals we sent. Every request is checked before anything is read from it: body size, then the signature over
 * timestamp and body, then the replay window. Nothing from the body is logged.
 */
@RestController
@RequestMapping("/switchboard")
class SwitchboardController {

    private static final Logger log = LoggerFactory.getLogger(SwitchboardController.class);
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern UNIT_CODE = Pattern.compile("[0-9]{2,6}");
    private static final Set<String> STATES = Set.of("ACCEPTED", "IN_PROGRESS", "REJECTED", "CLOSED");
    private static final int MAX_SUMMARY = 4000;

    private final InboundReferrals inbound;
    private final ReferralStore store;
    private final SwitchboardProperties properties;
    private final JsonMapper json;
    private final Clock clock;

    SwitchboardController(InboundReferrals inbound, ReferralStore store, SwitchboardProperties properties, JsonMapper json,
                          Clock clock) {
        this.inbound = inbound;
        this.store = store;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    /** 111 refers a child in the province: 201 with our case reference, or 200 with the same one for a replay. */
    @PostMapping("/referrals")
    Mono<ResponseEntity<Map<String, Object>>> referral(ServerHttpRequest request) {
        return verifiedBody(request).flatMap(body -> {
            String key = idempotencyKey(request);
            InboundReferrals.Request referral = parseReferral(body);
            return inbound.receive(referral, key, body).map(outcome -> ResponseEntity
                    .status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .body(Map.<String, Object>of("caseReference", outcome.caseReference(), "referenceId", outcome.referenceId())));
        });
    }

    /** 111 changed the state of a referral we sent; applied only when its sequence number is the newest. */
    @PostMapping("/referrals/{referenceId}/status")
    Mono<ResponseEntity<Map<String, Object>>> status(@PathVariable String referenceId, ServerHttpRequest request) {
        return verifiedBody(request).flatMap(body -> {
            idempotencyKey(request);
            if (!REFERENCE.matcher(referenceId).matches()) {
                return Mono.error(badRequest("referenceId is not a 111 reference"));
            }
            JsonNode node = readObject(body);
            String state = text(node, "state").orElseThrow(() -> badRequest("state is required"));
            if (!STATES.contains(state)) {
                return Mono.error(badRequest("state must be one of " + STATES));
            }
            long sequence = sequence(node).orElseThrow(() -> badRequest("sequence is required"));
            return store.applyStatus(referenceId, state, sequence, clock.instant())
                    .flatMap(applied -> store.byExternalRef(referenceId)
                            .map(current -> ResponseEntity.ok(Map.<String, Object>of(
                                    "referenceId", referenceId, "caseReference", current.caseReference(),
                                    "state", current.state(), "sequence", current.externalSeq().orElse(0L),
                                    "applied", applied.isPresent())))
                            .switchIfEmpty(Mono.error(new SwitchboardProblem(HttpStatus.NOT_FOUND, "unknown-referral",
                                    "No referral of ours has 111 reference " + referenceId))));
        });
    }

    @ExceptionHandler(SwitchboardProblem.class)
    ResponseEntity<ProblemDetail> problem(SwitchboardProblem problem) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(problem.status(), problem.getMessage());
        body.setType(URI.create("urn:hotline:problem:" + problem.code()));
        return ResponseEntity.status(problem.status()).body(body);
    }

    /** The raw body, once its size, signature and timestamp have been checked. */
    private Mono<byte[]> verifiedBody(ServerHttpRequest request) {
        int max = properties.maxBodyBytes();
        if (request.getHeaders().getContentLength() > max) {
            return Mono.error(tooLarge(max));
        }
        return DataBufferUtils.join(request.getBody(), max)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> tooLarge(max))
                .map(body -> {
                    RequestSignature.Verdict verdict = RequestSignature.verify(properties.inboundSecret(),
                            request.getHeaders().getFirst(RequestSignature.TIMESTAMP),
                            request.getHeaders().getFirst(RequestSignature.SIGNATURE), body, clock.instant(),
                            properties.replayWindow());
                    if (verdict != RequestSignature.Verdict.VALID) {
                        log.warn("111 request to {} refused: {}", request.getPath().value(), verdict);
                        throw new SwitchboardProblem(HttpStatus.FORBIDDEN,
                                verdict == RequestSignature.Verdict.STALE ? "stale-request" : "bad-signature",
                                verdict == RequestSignature.Verdict.STALE
                                        ? "The request's timestamp is outside the replay window"
                                        : "The request is not signed with the switchboard key");
                    }
                    return body;
                });
    }

    private static SwitchboardProblem tooLarge(int max) {
        return new SwitchboardProblem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "The body is larger than " + max + " bytes");
    }

    private static String idempotencyKey(ServerHttpRequest request) {
        String key = request.getHeaders().getFirst(RequestSignature.IDEMPOTENCY_KEY);
        if (key == null || !REFERENCE.matcher(key).matches()) {
            throw badRequest("Idempotency-Key is required (1 to 64 letters, digits, . _ : -)");
        }
        return key;
    }

    private InboundReferrals.Request parseReferral(byte[] body) {
        JsonNode node = readObject(body);
        String reference = text(node, "referenceId").filter(r -> REFERENCE.matcher(r).matches())
                .orElseThrow(() -> badRequest("referenceId is required (1 to 64 letters, digits, . _ : -)"));
        Optional<String> unit = text(node, "adminUnitCode");
        if (unit.isPresent() && !UNIT_CODE.matcher(unit.get()).matches()) {
            throw badRequest("adminUnitCode must be an administrative unit code");
        }
        Optional<String> summary = text(node, "summary");
        if (summary.isPresent() && summary.get().length() > MAX_SUMMARY) {
            throw badRequest("summary is longer than " + MAX_SUMMARY + " characters");
        }
        return new InboundReferrals.Request(reference, sequence(node).orElse(0L),
                required(node, "category", Category::valueOf), required(node, "urgency", Urgency::valueOf), unit,
                required(node, "ageBand", AgeBand::fromCode), required(node, "reporterRole", ReporterRole::valueOf),
                text(node, "language").map(Language::fromTag).orElse(Language.VI), summary);
    }

    private JsonNode readObject(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw badRequest("The body must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw badRequest("The body is not valid JSON");
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isString() || value.asString().isBlank()
                ? Optional.empty() : Optional.of(value.asString().trim());
    }

    private static Optional<Long> sequence(JsonNode node) {
        JsonNode value = node.get("sequence");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        // A number beyond int64 (the contract's format) would wrap around in asLong().
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw badRequest("sequence must be a whole number from 0 to 9223372036854775807");
        }
        return Optional.of(value.asLong());
    }

    private static <T> T required(JsonNode node, String field, Function<String, T> parse) {
        String value = text(node, field).orElseThrow(() -> badRequest(field + " is required"));
        try {
            // The contract's enums are exact: a lower-case "online_scam" is not a category (ops/switchboard/openapi.yaml).
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw badRequest(field + " has an unknown value");
        }
    }

    private static SwitchboardProblem badRequest(String detail) {
        return new SwitchboardProblem(HttpStatus.BAD_REQUEST, "bad-switchboard-request", detail);
    }
}
