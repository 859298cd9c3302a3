package vn.hotline.gateway.console.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.resource.NoResourceFoundException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.security.ConsoleRequests;

/**
 * An address nothing answers. For a person at the console it is the console's own page in their language, status
 * 404, inside the layout, instead of Spring's English JSON (issue 18, finding 11); for anyone else the problem detail
 * as before. A global advice, ahead of Spring Boot's problem-details handler: the exception comes from the static
 * resource handler, which only global advices see.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleNotFound {

    static final String PAGE = "/console/not-found";

    private final ObjectProvider<DispatcherHandler> dispatcher;

    ConsoleNotFound(ObjectProvider<DispatcherHandler> dispatcher) {
        this.dispatcher = dispatcher;
    }

    @ExceptionHandler(NoResourceFoundException.class)
    Mono<ResponseEntity<ProblemDetail>> notFound(NoResourceFoundException missing, ServerWebExchange exchange) {
        if (!ConsoleRequests.pageForAPerson(exchange) || exchange.getRequest().getPath().value().equals(PAGE)) {
            return Mono.just(ResponseEntity.status(missing.getStatusCode()).body(missing.getBody()));
        }
        // The page is rendered by the console's own handler, which writes the response; nothing is left to write here.
        return dispatcher.getObject().handle(exchange.mutate().request(r -> r.method(HttpMethod.GET).path(PAGE)).build())
                .then(Mono.empty());
    }
}
