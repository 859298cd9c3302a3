package vn.hotline.gateway.security.internal;

import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Answers a refusal of {@link InboundRequestGuard} raised while a handler reads the body (a chunked body over its
 * limit, a malformed form), and a body over the codecs' in-memory limit, as a problem detail instead of a 500.
 * Ordered before Spring Boot's own error handler (-1).
 */
@Component
@Order(-2)
class InboundRefusals implements WebExceptionHandler {

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        InboundRequestGuard.Refused refused = refusal(failure);
        if (refused == null || exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        return InboundRequestGuard.refuse(exchange, refused);
    }

    private static InboundRequestGuard.Refused refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InboundRequestGuard.Refused refused) {
                return refused;
            }
            if (t instanceof DataBufferLimitException) {
                return new InboundRequestGuard.Refused(HttpStatus.CONTENT_TOO_LARGE, "body-too-large",
                        "The body is larger than this endpoint takes");
            }
        }
        return null;
    }
}
