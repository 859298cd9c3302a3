package vn.hotline.gateway.security.internal;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Answers a refusal of {@link InboundRequestGuard} raised while a handler reads the body (a chunked body over its
 * limit, a malformed form), a body over the codecs' in-memory limit, and a database that cannot be reached (no
 * connection within the pool's acquire time, refused, dropped) as a problem detail instead of a 500 with a stack
 * trace per request: 503, one log line. Ordered before Spring Boot's own error handler (-1).
 */
@Component
@Order(-2)
class InboundRefusals implements WebExceptionHandler {

    private final Refusals refusals;

    InboundRefusals(Refusals refusals) {
        this.refusals = refusals;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        InboundRequestGuard.Refused refused = refusal(failure);
        if (refused == null || exchange.getResponse().isCommitted()) {
            return Mono.error(failure);
        }
        return refusals.answer(exchange, refused);
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
            if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof R2dbcTransientResourceException || t instanceof R2dbcNonTransientResourceException) {
                return new InboundRequestGuard.Refused(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable",
                        "The database cannot be reached just now; try again");
            }
        }
        return null;
    }
}
