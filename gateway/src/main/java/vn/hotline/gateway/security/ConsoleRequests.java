package vn.hotline.gateway.security;

import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;

/** Who is asking at the console: a person's browser wanting a page, or the page's own script. */
public final class ConsoleRequests {

    private ConsoleRequests() {
    }

    /** A console page a browser asked for as HTML (not an asset, not the event stream, not a script's fetch). */
    public static boolean pageForAPerson(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().value();
        return (path.equals(SecurityConfig.CONSOLE_HOME) || path.startsWith(SecurityConfig.CONSOLE_HOME + "/"))
                && !path.startsWith("/console/assets/") && !fromScript(exchange)
                && exchange.getRequest().getHeaders().getAccept().stream()
                        .anyMatch(type -> type.isCompatibleWith(MediaType.TEXT_HTML) && !type.isWildcardType());
    }

    /** A request the console's script makes itself: the live event stream, a queue's rows, the session check. */
    public static boolean fromScript(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().value();
        return exchange.getRequest().getHeaders().getAccept().contains(MediaType.TEXT_EVENT_STREAM)
                || path.endsWith("/rows") || path.equals("/console/events") || path.equals("/console/session");
    }
}
