package vn.hotline.gateway.security.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;
import vn.hotline.gateway.security.ConsoleRequests;
import vn.hotline.gateway.security.SecurityConfig;

/**
 * How a refusal of {@link InboundRequestGuard}, {@link RequestTimeLimit} or {@link InboundRefusals} is answered: one
 * log line with the method, the path and the reason (never the input), then a problem detail, or, for a person at the
 * console (a {@code /console} page asked for as HTML), a page in their language from the console's catalog that says
 * what happened and offers to try again. An officer at night must never be left with a blank page or raw JSON.
 */
@Component
class Refusals {

    private static final Logger log = LoggerFactory.getLogger(Refusals.class);

    private final MessageSource messages;

    Refusals(MessageSource messages) {
        this.messages = messages;
    }

    Mono<Void> answer(ServerWebExchange exchange, InboundRequestGuard.Refused refused) {
        ServerHttpRequest request = exchange.getRequest();
        log.warn("{} {} refused with {}: {}", request.getMethod(), request.getPath().value(), refused.status.value(),
                refused.getMessage());
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(refused.status);
        String body;
        if (ConsoleRequests.pageForAPerson(exchange)) {
            response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
            // Answered before the console's security chain, which would add it: the same policy as every console page.
            response.getHeaders().set("Content-Security-Policy", SecurityConfig.CONSOLE_CSP);
            body = page(exchange, refused);
        } else {
            response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            body = "{\"type\":\"urn:hotline:problem:" + refused.code + "\",\"title\":\"" + refused.status.getReasonPhrase()
                    + "\",\"status\":" + refused.status.value() + ",\"detail\":\"" + refused.getMessage() + "\"}";
        }
        DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }

    private String page(ServerWebExchange exchange, InboundRequestGuard.Refused refused) {
        Locale locale = exchange.getLocaleContext().getLocale() == null ? Locale.forLanguageTag("vi")
                : exchange.getLocaleContext().getLocale();
        String title = text("refused.title", locale);
        String what = text("refused." + refused.code, locale);
        // A GET can simply be asked again; a form post goes back to the page it came from (its text is the browser's).
        boolean again = exchange.getRequest().getMethod() == HttpMethod.GET;
        String retry = again ? exchange.getRequest().getURI().getRawPath()
                + (exchange.getRequest().getURI().getRawQuery() == null ? "" : "?" + exchange.getRequest().getURI().getRawQuery())
                : "/console";
        return """
                <!DOCTYPE html>
                <html lang="%s"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title><link rel="stylesheet" href="/console/assets/console.css"></head>
                <body><main id="main" class="narrow"><h1>%s</h1>
                <p id="problem" class="notice error" role="alert" data-status="%d" data-code="%s">%s</p>
                <p><a href="%s">%s</a> · <a href="/console">%s</a></p></main></body></html>
                """.formatted(locale.getLanguage(), title, title, refused.status.value(), refused.code, what,
                HtmlUtils.htmlEscape(retry, "UTF-8"), text(again ? "refused.retry" : "refused.back", locale),
                text("problem.back", locale));
    }

    private String text(String key, Locale locale) {
        return HtmlUtils.htmlEscape(messages.getMessage(key, null, messages.getMessage("refused.other", null, locale), locale), "UTF-8");
    }
}
