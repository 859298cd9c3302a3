package vn.hotline.gateway.security.internal;

import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.security.HttpLimits;

/**
 * Hostile or broken input answered before any handler sees it, never with a 500 (issue 17): a body over its limit is
 * refused with 413 before it is read (by its Content-Length, or while a chunked body streams in), a form whose
 * percent-encoding is malformed with 400, and a query parameter holding a control character (a NUL would reach
 * PostgreSQL, which refuses it) with 400. Each answer is a problem detail; each refusal is one log line with the path
 * and the reason, never the input.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class InboundRequestGuard implements WebFilter {

    private final HttpLimits limits;
    private final Refusals refusals;

    InboundRequestGuard(HttpLimits limits, Refusals refusals) {
        this.limits = limits;
        this.refusals = refusals;
    }

    /** Refused input: the status and a reason that quotes nothing the sender wrote. */
    static final class Refused extends RuntimeException {
        final HttpStatus status;
        final String code;

        Refused(HttpStatus status, String code, String reason) {
            super(reason, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        for (Map.Entry<String, List<String>> parameter : request.getQueryParams().entrySet()) {
            if (hasControlCharacter(parameter.getKey()) || parameter.getValue().stream().anyMatch(InboundRequestGuard::hasControlCharacter)) {
                return refusals.answer(exchange, new Refused(HttpStatus.BAD_REQUEST, "control-character",
                        "A query parameter holds a control character"));
            }
        }
        long limit = limits.bodyLimit(request.getPath().value()).toBytes();
        long declared = request.getHeaders().getContentLength();
        if (declared > limit) {
            return refusals.answer(exchange, tooLarge(limit));
        }
        return chain.filter(new Guarded(exchange, limit));
    }

    private static Refused tooLarge(long limit) {
        return new Refused(HttpStatus.CONTENT_TOO_LARGE, "body-too-large",
                "The body is larger than the " + limit + " bytes this endpoint takes");
    }

    private static boolean hasControlCharacter(String value) {
        if (value == null) {
            // A parameter without a value ("?error").
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** The exchange with its body counted against the limit, and its form's decoding failures made a refusal. */
    private static final class Guarded extends ServerWebExchangeDecorator {
        private final ServerHttpRequest request;

        Guarded(ServerWebExchange delegate, long limit) {
            super(delegate);
            this.request = new ServerHttpRequestDecorator(delegate.getRequest()) {
                @Override
                public Flux<DataBuffer> getBody() {
                    long[] seen = {0};
                    return super.getBody().handle((buffer, sink) -> {
                        seen[0] += buffer.readableByteCount();
                        if (seen[0] > limit) {
                            DataBufferUtils.release(buffer);
                            sink.error(tooLarge(limit));
                        } else {
                            sink.next(buffer);
                        }
                    });
                }
            };
        }

        @Override
        public ServerHttpRequest getRequest() {
            return request;
        }

        @Override
        public Mono<MultiValueMap<String, String>> getFormData() {
            // Spring decodes the form with URLDecoder, which throws IllegalArgumentException on "%ZZ" or a lone "%".
            return super.getFormData().onErrorMap(IllegalArgumentException.class,
                    e -> new Refused(HttpStatus.BAD_REQUEST, "malformed-form", "The form's percent-encoding is malformed"));
        }
    }
}
