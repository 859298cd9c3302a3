package vn.hotline.gateway.security.internal;

import java.time.Duration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.security.HttpLimits;

/**
 * No request waits for ever: one whose answer has not started within {@code hotline.http.answer-within} is ended
 * with 503 and a problem detail (its work is cancelled; a transaction cut short rolls back). Only the start counts:
 * an export or a live page that has begun to stream runs on, and a request for an event stream is not limited.
 * Twilio's webhooks are left to their adapter, which answers sooner and in Twilio's terms (fallback TwiML, the
 * sender's text); a 503 from here would play Twilio's "application error" to a child.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestTimeLimit implements WebFilter {

    private final Duration limit;
    private final Refusals refusals;

    RequestTimeLimit(HttpLimits limits, Refusals refusals) {
        this.limit = limits.answerWithin();
        this.refusals = refusals;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getHeaders().getAccept().contains(MediaType.TEXT_EVENT_STREAM)
                || exchange.getRequest().getPath().value().startsWith("/twilio/")) {
            return chain.filter(exchange);
        }
        Mono<Long> unanswered = Mono.delay(limit)
                .flatMap(tick -> exchange.getResponse().isCommitted() ? Mono.never() : Mono.just(tick));
        return chain.filter(exchange)
                .timeout(unanswered, Mono.defer(() -> exchange.getResponse().isCommitted() ? Mono.empty()
                        : refusals.answer(exchange, new InboundRequestGuard.Refused(
                                HttpStatus.SERVICE_UNAVAILABLE, "answer-timeout",
                                "The server could not answer in time; try again"))));
    }
}
