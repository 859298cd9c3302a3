package vn.hotline.gateway.console.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.SimpleLocaleContext;
import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.i18n.AcceptHeaderLocaleContextResolver;
import org.springframework.web.server.i18n.LocaleContextResolver;
import vn.hotline.gateway.console.ConsoleProperties;

/**
 * The console's language: Vietnamese unless the user chose English with {@code ?lang=en} (remembered in a cookie).
 * Elsewhere (the API) the Accept-Language header decides, as before.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleLocale {

    static final Locale VIETNAMESE = Locale.forLanguageTag("vi");
    static final String PARAMETER = "lang";
    static final String COOKIE = "hotline-lang";
    private static final Set<String> LANGUAGES = Set.of("vi", "en");

    /** Replaces Boot's default resolver (same bean name). */
    @Bean(WebHttpHandlerBuilder.LOCALE_CONTEXT_RESOLVER_BEAN_NAME)
    LocaleContextResolver localeContextResolver() {
        AcceptHeaderLocaleContextResolver others = new AcceptHeaderLocaleContextResolver();
        return new LocaleContextResolver() {
            @Override
            public LocaleContext resolveLocaleContext(ServerWebExchange exchange) {
                if (!isConsole(exchange)) {
                    return others.resolveLocaleContext(exchange);
                }
                return new SimpleLocaleContext(chosen(exchange).map(Locale::forLanguageTag).orElse(VIETNAMESE));
            }

            @Override
            public void setLocaleContext(ServerWebExchange exchange, LocaleContext context) {
                throw new UnsupportedOperationException("the console's language is chosen with ?lang=");
            }
        };
    }

    /** Remembers a language chosen with {@code ?lang=} on a console page. */
    @Bean
    WebFilter consoleLanguageCookie(ConsoleProperties properties) {
        return (exchange, chain) -> {
            String asked = exchange.getRequest().getQueryParams().getFirst(PARAMETER);
            if (isConsole(exchange) && asked != null && LANGUAGES.contains(asked)) {
                exchange.getResponse().addCookie(ResponseCookie.from(COOKIE, asked).path("/console")
                        .maxAge(properties.languageCookieAge()).httpOnly(true).sameSite("Lax").build());
            }
            return chain.filter(exchange);
        };
    }

    private static boolean isConsole(ServerWebExchange exchange) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        return path.equals("/console") || path.startsWith("/console/");
    }

    private static Optional<String> chosen(ServerWebExchange exchange) {
        String asked = exchange.getRequest().getQueryParams().getFirst(PARAMETER);
        if (asked != null && LANGUAGES.contains(asked)) {
            return Optional.of(asked);
        }
        HttpCookie cookie = exchange.getRequest().getCookies().getFirst(COOKIE);
        return Optional.ofNullable(cookie).map(HttpCookie::getValue).filter(LANGUAGES::contains);
    }
}
