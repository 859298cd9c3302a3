package vn.hotline.gateway.channel.twilio.internal;

import com.twilio.security.RequestValidator;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.channel.twilio.TwilioProperties;

/**
 * Lets a request into {@code /twilio/**} only with a valid {@code X-Twilio-Signature} over the public URL as Twilio
 * saw it and the form parameters (the SDK's {@link RequestValidator}, which compares in constant time). A bad or
 * missing signature is 403, logged with the path only. The static fallback is exempt: it reads nothing and must
 * answer even when the configuration is what broke.
 */
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TwilioSignatureFilter implements WebFilter {

    static final String SIGNATURE = "X-Twilio-Signature";
    private static final Logger log = LoggerFactory.getLogger(TwilioSignatureFilter.class);

    private final RequestValidator validator;
    private final TwilioProperties properties;

    TwilioSignatureFilter(TwilioProperties properties) {
        // Without a token nothing can be verified, so every signed path answers 403 (the fallback still serves).
        this.validator = properties.authToken().isEmpty() ? null : new RequestValidator(properties.authToken());
        if (validator == null) {
            log.warn("hotline.twilio.auth-token is empty: every Twilio webhook will be refused (set HOTLINE_TWILIO_AUTH_TOKEN)");
        }
        this.properties = properties;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!path.startsWith("/twilio/") || path.equals(TwilioRoutes.FALLBACK)) {
            return chain.filter(exchange);
        }
        String signature = exchange.getRequest().getHeaders().getFirst(SIGNATURE);
        if (signature == null || signature.isBlank() || validator == null) {
            return refuse(exchange, path, "missing signature");
        }
        String url = publicUrl(exchange.getRequest());
        return exchange.getFormData().flatMap(form -> validator.validate(url, form.toSingleValueMap(), signature)
                ? chain.filter(exchange)
                : refuse(exchange, path, "bad signature"));
    }

    /** The URL Twilio signed: the configured public base, else the proxy's forwarded scheme and host, plus path and query. */
    String publicUrl(ServerHttpRequest request) {
        URI uri = request.getURI();
        String base = properties.publicBaseUrl();
        if (base.isEmpty()) {
            HttpHeaders headers = request.getHeaders();
            String proto = first(headers.getFirst("X-Forwarded-Proto"), uri.getScheme());
            String host = first(headers.getFirst("X-Forwarded-Host"), uri.getRawAuthority());
            base = proto + "://" + host;
        } else if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String query = uri.getRawQuery();
        return base + uri.getRawPath() + (query == null ? "" : "?" + query);
    }

    private static String first(String forwarded, String own) {
        if (forwarded == null || forwarded.isBlank()) {
            return own;
        }
        int comma = forwarded.indexOf(',');
        return (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, String path, String why) {
        // Path only: the body holds the caller's number and, for SMS, what they wrote.
        log.warn("Twilio webhook {} refused: {}", path, why);
        exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
        return exchange.getResponse().setComplete();
    }
}
