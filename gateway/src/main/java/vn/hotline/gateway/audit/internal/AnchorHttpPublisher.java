package vn.hotline.gateway.audit.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import vn.hotline.gateway.audit.Anchor;
import vn.hotline.gateway.audit.AuditProperties;

/** The optional second anchor sink: each anchor POSTed as JSON to {@code hotline.audit.anchoring.http-url}. */
@Component
class AnchorHttpPublisher {

    private final URI url;
    private final Duration timeout;
    private final JsonMapper json;
    private final HttpClient http;

    AnchorHttpPublisher(AuditProperties properties, JsonMapper json) {
        this.url = properties.anchoring().httpUrl();
        this.timeout = properties.anchoring().httpTimeout();
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Posts the anchor; completes empty when no endpoint is configured, fails on a non-2xx answer. */
    Mono<Void> publish(Anchor anchor) {
        if (url == null) {
            return Mono.empty();
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(anchor)))
                .build();
        return Mono.fromFuture(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .flatMap(response -> response.statusCode() / 100 == 2 ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("anchor endpoint answered HTTP " + response.statusCode())));
    }
}
