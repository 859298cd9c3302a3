package vn.hotline.gateway.security.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers a console request the user's role may not make with the console's own 403 page (rendered by the console's
 * handler at {@code forbiddenPath}, in the user's language), in place and without a redirect.
 */
public final class ConsoleAccessDenied implements ServerAccessDeniedHandler {

    private final ObjectProvider<DispatcherHandler> dispatcher;
    private final String forbiddenPath;

    public ConsoleAccessDenied(ObjectProvider<DispatcherHandler> dispatcher, String forbiddenPath) {
        this.dispatcher = dispatcher;
        this.forbiddenPath = forbiddenPath;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        ServerWebExchange page = exchange.mutate()
                .request(r -> r.method(HttpMethod.GET).path(forbiddenPath))
                .build();
        return dispatcher.getObject().handle(page);
    }
}
