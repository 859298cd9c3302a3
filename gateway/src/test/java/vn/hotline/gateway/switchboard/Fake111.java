package vn.hotline.gateway.switchboard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * 111 played by WireMock on localhost: it checks our signature, deduplicates by {@code Idempotency-Key} as a real
 * receiver would (a repeat gets the same reference, 200 instead of 201), and remembers what it accepted, in order.
 * Failure modes are stubs of higher priority that a test adds and removes.
 */
public final class Fake111 implements ResponseDefinitionTransformerV2 {

    static final String SECRET = "test-outbound-secret";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Something 111 accepted: a referral (operation {@code create}) or a status update. */
    public record Accepted(String operation, String idempotencyKey, String caseReference, String referenceId) {
    }

    /** 111's references are unique for ever, across tests that share a database. */
    private static final java.util.concurrent.atomic.AtomicLong NEXT_REFERENCE = new java.util.concurrent.atomic.AtomicLong(1000);
    private final Map<String, String> referenceByKey = new HashMap<>();
    private final List<Accepted> accepted = new ArrayList<>();
    private final Map<String, JsonNode> bodyByKey = new HashMap<>();
    private int wireRequests;
    final WireMockServer server;

    public Fake111() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(this));
        server.start();
        reset();
    }

    /** A fresh 111: nothing received, nothing accepted, every request answered by this transformer. */
    synchronized void reset() {
        server.resetAll();
        referenceByKey.clear();
        accepted.clear();
        bodyByKey.clear();
        wireRequests = 0;
        server.stubFor(post(urlEqualTo("/v1/referrals")).atPriority(10)
                .willReturn(aResponse().withTransformers(getName())));
        server.stubFor(post(urlPathMatching("/v1/referrals/[^/]+/status")).atPriority(10)
                .willReturn(aResponse().withTransformers(getName())));
    }

    /** 111 failing on every request the way {@code response} says, until {@link #up()}. */
    public void failing(ResponseDefinitionBuilder response) {
        server.stubFor(post(urlPathMatching("/v1/referrals.*")).atPriority(1).willReturn(response));
    }

    /** 111 failing only the next {@code times} requests, then answering again. */
    public void failingNext(int times, ResponseDefinitionBuilder response) {
        String state = Scenario.STARTED;
        for (int i = 1; i <= times; i++) {
            String next = "failed-" + i;
            server.stubFor(post(urlPathMatching("/v1/referrals.*")).atPriority(1).inScenario("flaky")
                    .whenScenarioStateIs(state).willSetStateTo(next).willReturn(response));
            state = next;
        }
    }

    /** 111 back after a failure: the failing stubs go, the journal stays. */
    public void up() {
        for (StubMapping stub : server.getStubMappings()) {
            if (stub.getPriority() != null && stub.getPriority() == 1) {
                server.removeStub(stub);
            }
        }
    }

    public void stop() {
        server.stop();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    public synchronized List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    /** The body 111 accepted under this idempotency key. */
    synchronized JsonNode body(String idempotencyKey) {
        return bodyByKey.get(idempotencyKey);
    }

    synchronized int wireRequests() {
        return wireRequests;
    }

    /** Every request 111 received, accepted or not (WireMock's journal counts failures too). */
    public int requestsOnTheWire() {
        return server.getAllServeEvents().size();
    }

    @Override
    public String getName() {
        return "fake-111";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        wireRequests++;
        LoggedRequest request = event.getRequest();
        if (!signedByUs(request)) {
            return new ResponseDefinitionBuilder().withStatus(401).build();
        }
        String key = request.getHeader("Idempotency-Key");
        JsonNode body = JSON.readTree(request.getBodyAsString());
        String path = request.getUrl();
        boolean create = path.equals("/v1/referrals");
        String existing = referenceByKey.get(key);
        String reference;
        if (existing != null) {
            reference = existing;
        } else {
            reference = create ? "111-" + NEXT_REFERENCE.incrementAndGet() : path.split("/")[3];
            referenceByKey.put(key, reference);
            bodyByKey.put(key, body);
            accepted.add(new Accepted(create ? "create" : "status", key, body.path("caseReference").asString(), reference));
        }
        return new ResponseDefinitionBuilder().withStatus(existing == null ? 201 : 200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"referenceId\":\"" + reference + "\",\"state\":\"ACCEPTED\",\"sequence\":1}")
                .build();
    }

    private static boolean signedByUs(LoggedRequest request) {
        String timestamp = request.getHeader("X-Switchboard-Timestamp");
        String signature = request.getHeader("X-Switchboard-Signature");
        if (timestamp == null || signature == null) {
            return false;
        }
        return signature.equals("v1=" + hmac(SECRET, timestamp + "." + request.getBodyAsString()));
    }

    static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
