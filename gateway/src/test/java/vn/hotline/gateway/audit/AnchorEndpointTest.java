package vn.hotline.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import vn.hotline.gateway.GatewayTest;

/** Anchors also go to an HTTP endpoint when one is configured; the directory keeps them when it fails. */
@GatewayTest
class AnchorEndpointTest {

    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static final AtomicInteger STATUS = new AtomicInteger(200);
    private static final HttpServer ENDPOINT = start();

    private static HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/anchors", exchange -> {
                RECEIVED.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(STATUS.get(), -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("hotline.audit.anchoring.http-url", () -> "http://127.0.0.1:" + ENDPOINT.getAddress().getPort() + "/anchors");
    }

    @AfterAll
    static void stop() {
        ENDPOINT.stop(0);
    }

    @Autowired
    AuditLog audit;
    @Autowired
    AuditChain chain;
    @Autowired
    AuditProperties properties;

    private Anchor anchorAfterOneEvent(String id) {
        audit.record(new AuditEntry(Actor.system("test"), AuditAction.DEMO_DATA_LOADED, new Subject("x", id), Map.of()))
                .then(chain.sealPending()).block();
        return chain.anchorNow().block().orElseThrow();
    }

    @Test
    void theEndpointReceivesTheSignedHead() {
        STATUS.set(200);
        Anchor anchor = anchorAfterOneEvent("posted");
        assertThat(RECEIVED).anySatisfy(body -> assertThat(body).contains("\"seq\":" + anchor.seq()).contains(anchor.signature()));
    }

    @Test
    void aFailingEndpointLeavesTheAnchorInTheDirectory() {
        STATUS.set(503);
        Anchor anchor = anchorAfterOneEvent("refused");
        assertThat(Files.exists(properties.anchoring().directory().resolve(String.format("anchor-%020d.json", anchor.seq())))).isTrue();
    }
}
